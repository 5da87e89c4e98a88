using System.Collections.Concurrent;
using System.Text.Json;

namespace AgentRefine.Llm;

/// <summary>Reads the prompt texts, few-shot examples and schemas embedded in the assembly.</summary>
internal static class PromptResources
{
    private static readonly ConcurrentDictionary<string, string> Cache = new(StringComparer.Ordinal);

    /// <summary>The text of the resource <c>AgentRefine.Prompts.{name}</c>.</summary>
    public static string Text(string name) => Cache.GetOrAdd(name, static key =>
    {
        using var stream = typeof(PromptResources).Assembly.GetManifestResourceStream("AgentRefine.Prompts." + key)
            ?? throw new InvalidOperationException($"The embedded prompt resource '{key}' is missing from the assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().Replace("\r\n", "\n", StringComparison.Ordinal);
    });

    /// <summary>The resource parsed as JSON.</summary>
    public static JsonElement Json(string name)
    {
        using var document = JsonDocument.Parse(Text(name));
        return document.RootElement.Clone();
    }
}
