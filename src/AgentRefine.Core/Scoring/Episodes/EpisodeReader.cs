using AgentRefine.Json;
using System.Text.Json;

namespace AgentRefine.Scoring;

/// <summary>
/// Reads the episodes JSON Lines contract, one episode a line:
/// <c>{"run", "task", "id", "difficulty", "goal", "subgoals": [...], "steps": [{"action", "observation", "valid", "done", "facts"}]}</c>.
/// <c>run</c> defaults to <see cref="Episode.DefaultRun"/>, <c>valid</c> to <see langword="true"/>,
/// <c>done</c> to <see langword="false"/>; <c>difficulty</c>, <c>goal</c> and <c>facts</c> are optional, and so
/// are what the runner adds: <c>progress</c> and <c>reply</c> per step, <c>success</c>, <c>end</c> and
/// <c>error</c> per episode.
/// A malformed line is an <see cref="InvalidDataException"/> naming <c>file:line</c> and the field.
/// A UTF-8 byte order mark at the start of the file is accepted. Episodes are read one at a time, so
/// memory does not grow with the file.
/// </summary>
public static class EpisodeReader
{
    /// <summary>Reads every episode of a file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The episodes.</returns>
    public static IAsyncEnumerable<Episode> ReadAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var name = Path.GetFileName(path);
        return Utf8LineReader.ParseLinesAsync(path, (line, number, _) => Parse(line, $"{name}:{number}"), cancellationToken);
    }

    /// <summary>Reads every episode of a stream, from its current position (the stream is not disposed).</summary>
    /// <param name="stream">The UTF-8 JSON Lines content.</param>
    /// <param name="sourceName">The name used in messages (<c>&lt;sourceName&gt;:&lt;line&gt;</c>), usually the file name.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The episodes.</returns>
    public static IAsyncEnumerable<Episode> ReadAsync(Stream stream, string sourceName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(sourceName);
        return Utf8LineReader.ParseLinesAsync(stream, (line, number, _) => Parse(line, $"{sourceName}:{number}"), cancellationToken);
    }

    /// <summary>Parses one line.</summary>
    /// <param name="line">The line's UTF-8 bytes.</param>
    /// <param name="source">Its <c>file:line</c>, for messages.</param>
    /// <returns>The episode.</returns>
    /// <exception cref="InvalidDataException">The line is not an episode; the message names <paramref name="source"/> and the field.</exception>
    public static Episode Parse(ReadOnlySpan<byte> line, string source)
    {
        if (!System.Text.Unicode.Utf8.IsValid(line))
        {
            throw new InvalidDataException($"{source}: the line is not valid UTF-8.");
        }

        JsonElement root;
        try
        {
            var reader = new Utf8JsonReader(line, new JsonReaderOptions { MaxDepth = 64 });
            using var document = JsonDocument.ParseValue(ref reader);
            root = document.RootElement.Clone();
        }
        catch (JsonException exception)
        {
            throw new InvalidDataException($"{source}: invalid JSON ({LlmJsonText.ShortMessage(exception)}).", exception);
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"{source}: the line is {LlmJsonText.KindName(root.ValueKind)}, not an episode object.");
        }

        var run = OptionalString(root, "run", source) ?? Episode.DefaultRun;
        var task = String(root, "task", source);
        var id = Id(root, source);
        var difficulty = OptionalString(root, "difficulty", source);
        var goal = OptionalString(root, "goal", source) ?? string.Empty;
        var subgoals = Strings(RequiredArray(root, "subgoals", source), source + ": subgoals");
        var steps = new List<EpisodeStep>();
        var index = 0;
        foreach (var step in RequiredArray(root, "steps", source).EnumerateArray())
        {
            var where = $"{source}: steps[{index++}]";
            if (step.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException($"{where} is {LlmJsonText.KindName(step.ValueKind)}, not an object.");
            }

            var facts = step.TryGetProperty("facts", out var f) && f.ValueKind == JsonValueKind.Array ? Strings(f, where + ".facts") : null;
            steps.Add(new EpisodeStep(String(step, "action", where), String(step, "observation", where), Boolean(step, "valid", where, true), Boolean(step, "done", where, false), facts)
            {
                Progress = OptionalNumber(step, "progress", where),
                Reply = OptionalString(step, "reply", where),
            });
        }

        return new Episode(run, task, id, difficulty, goal, subgoals, steps)
        {
            Success = OptionalBoolean(root, "success", source),
            EndReason = OptionalString(root, "end", source),
            Error = OptionalString(root, "error", source),
        };
    }

    private static long Id(JsonElement root, string source) =>
        root.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.Number && id.TryGetInt64(out var value) ? value
        : root.TryGetProperty("id", out id) && id.ValueKind == JsonValueKind.String && long.TryParse(id.GetString(), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out value) ? value
        : throw new InvalidDataException($"{source}: 'id' is missing or not an integer.");

    private static string String(JsonElement element, string name, string where) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new InvalidDataException($"{where}: '{name}' is missing or not a string.");

    private static string? OptionalString(JsonElement element, string name, string where) =>
        !element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null ? null
        : value.ValueKind == JsonValueKind.String ? value.GetString()
        : throw new InvalidDataException($"{where}: '{name}' is not a string.");

    private static bool Boolean(JsonElement element, string name, string where, bool fallback) =>
        !element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null ? fallback
        : value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean()
        : throw new InvalidDataException($"{where}: '{name}' is not a boolean.");

    private static bool? OptionalBoolean(JsonElement element, string name, string where) =>
        !element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null ? null
        : value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean()
        : throw new InvalidDataException($"{where}: '{name}' is not a boolean.");

    private static double? OptionalNumber(JsonElement element, string name, string where) =>
        !element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null ? null
        : value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number) && double.IsFinite(number) ? number
        : throw new InvalidDataException($"{where}: '{name}' is not a number.");

    private static JsonElement RequiredArray(JsonElement element, string name, string where) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? value
            : throw new InvalidDataException($"{where}: '{name}' is missing or not an array.");

    private static string[] Strings(JsonElement array, string where) =>
        array.EnumerateArray().Select((item, i) => item.ValueKind == JsonValueKind.String
            ? item.GetString()!
            : throw new InvalidDataException($"{where}[{i}] is not a string.")).ToArray();
}
