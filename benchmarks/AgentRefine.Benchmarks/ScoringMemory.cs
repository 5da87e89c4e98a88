using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using AgentRefine.Cli;

namespace AgentRefine.Benchmarks;

/// <summary>
/// Peak memory and time of <c>agentrefine score</c> over a generated episodes file (run in a fresh
/// process per size so the peak is that run's own). The command runs in process through
/// <see cref="CliApp.Run"/>, exactly as the tool does, with its report written to a file.
/// </summary>
internal static class ScoringMemory
{
    /// <summary>Writes <paramref name="episodes"/> episodes to <paramref name="path"/> and prints the file's size.</summary>
    public static async Task GenerateAsync(TextWriter output, int episodes, string path)
    {
        var bytes = await WriteEpisodesAsync(path, episodes).ConfigureAwait(false);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{path}: {episodes:N0} episodes, {bytes / 1e6:F1} MB."));
    }

    /// <summary>Generates <paramref name="episodes"/> episodes, scores them with the CLI in <paramref name="format"/>, and reports time and the process's peak resident set.</summary>
    public static async Task MemoryAsync(TextWriter output, int episodes, string format)
    {
        var folder = Directory.CreateTempSubdirectory("agentrefine-score-memory-").FullName;
        try
        {
            var input = Path.Combine(folder, "episodes.jsonl");
            var bytes = await WriteEpisodesAsync(input, episodes).ConfigureAwait(false);
            var before = ProcessMemory.PeakResidentMegabytes();
            var clock = Stopwatch.StartNew();
            using var error = new StringWriter();
            var exit = CliApp.Run(["score", "--episodes", input, "--format", format, "--output", Path.Combine(folder, "report." + format)], TextWriter.Null, error);
            clock.Stop();
            if (exit != 0)
            {
                throw new InvalidOperationException($"agentrefine score exited {exit}: {error}");
            }

            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {episodes:N0} | {bytes / 1e6:F0} MB | {format} | {clock.Elapsed.TotalSeconds:F1} s | {before:F0} MB | {ProcessMemory.PeakResidentMegabytes():F0} MB |"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Cycles through the ten bundled sample episodes (two runs, five tasks), each line with its own id.</summary>
    private static async Task<long> WriteEpisodesAsync(string path, int episodes)
    {
        var samples = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "samples", "episodes.jsonl"))
            .Where(l => !string.IsNullOrWhiteSpace(l))
            .Select(l => JsonDocument.Parse(l).RootElement.Clone())
            .ToArray();
        await using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        var line = new MemoryStream();
        for (var i = 0; i < episodes; i++)
        {
            line.SetLength(0);
            using (var writer = new Utf8JsonWriter(line))
            {
                writer.WriteStartObject();
                foreach (var property in samples[i % samples.Length].EnumerateObject())
                {
                    if (property.NameEquals("id"u8))
                    {
                        writer.WriteNumber("id", i);
                    }
                    else
                    {
                        property.WriteTo(writer);
                    }
                }

                writer.WriteEndObject();
            }

            line.WriteByte((byte)'\n');
            await stream.WriteAsync(line.GetBuffer().AsMemory(0, (int)line.Length)).ConfigureAwait(false);
        }

        return stream.Length;
    }
}
