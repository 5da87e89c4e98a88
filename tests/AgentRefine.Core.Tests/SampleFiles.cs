namespace AgentRefine.Core.Tests;

/// <summary>Reads the hand-written samples copied beside the test assembly.</summary>
internal static class SampleFiles
{
    public static string Read(string relativePath) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "samples", "verify", relativePath));

    public static string Script => Read("script.json");

    public static string Trajectory => Read("trajectory.json");

    public static string Variant(string name) => Read(Path.Combine("variants", name));
}
