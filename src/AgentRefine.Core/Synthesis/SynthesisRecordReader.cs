using AgentRefine.Json;
using System.Text.Json;
using AgentRefine.Scripts;
using AgentRefine.Trajectories;

namespace AgentRefine.Synthesis;

/// <summary>
/// Streams the records of a JSON Lines file written by <see cref="JsonlRecordStore"/> (or any file
/// in the record contract). Blank lines are skipped; a line that is not a record is reported with its
/// <c>file:line</c>, never thrown; a torn last line (no line break) is reported as such. Memory stays
/// flat: one 64 KiB chunk of lines is parsed and handed out at a time.
/// </summary>
public static class SynthesisRecordReader
{
    /// <summary>Reads the records of a file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="limits">Read limits (line length, script and trajectory sizes); defaults when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>One entry per non-blank line.</returns>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static IAsyncEnumerable<StoredRecordRead> ReadAsync(string path, JsonReadLimits? limits = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        limits ??= JsonReadLimits.Shared;
        var name = Path.GetFileName(path);
        return Utf8LineReader.ParseLinesAsync(
            path,
            (line, number, terminated) => terminated
                ? Parse(line, $"{name}:{number}", limits)
                : new StoredRecordRead($"{name}:{number}", null, $"{name}:{number}: the last line is torn (no line break at the end of the file)"),
            cancellationToken);
    }

    /// <summary>Parses one line.</summary>
    /// <param name="line">The line's UTF-8 bytes.</param>
    /// <param name="source">The line's <c>file:line</c>.</param>
    /// <param name="limits">Read limits; defaults when <see langword="null"/>.</param>
    /// <returns>The record, or why the line is not one.</returns>
    public static StoredRecordRead Parse(ReadOnlySpan<byte> line, string source, JsonReadLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        limits ??= JsonReadLimits.Shared;
        if (line.Length > 4L * limits.MaxInputChars)
        {
            return Fail(source, $"the line is {line.Length:N0} bytes long, over the read limit (JsonReadLimits.MaxInputChars)");
        }

        if (!System.Text.Unicode.Utf8.IsValid(line))
        {
            return Fail(source, "the line is not valid UTF-8");
        }

        JsonElement root;
        try
        {
            var reader = new Utf8JsonReader(line, new JsonReaderOptions { MaxDepth = limits.MaxDepth });
            using var document = JsonDocument.ParseValue(ref reader);
            root = document.RootElement.Clone();
        }
        catch (JsonException exception)
        {
            return Fail(source, $"invalid JSON ({LlmJsonText.ShortMessage(exception)})");
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            return Fail(source, $"the line is {LlmJsonText.KindName(root.ValueKind)}, not a record object");
        }

        if (!TryGetString(root, "id", out var id))
        {
            return Fail(source, "'id' is missing or not a string");
        }

        if (!TryGetString(root, "status", out var status))
        {
            return Fail(source, $"record {id}: 'status' is missing or not a string");
        }

        var script = root.TryGetProperty("script", out var scriptValue) && scriptValue.ValueKind == JsonValueKind.Object
            ? ScriptReader.FromJson(scriptValue, limits)
            : ScriptReadResult.Failed("the record has no script object");
        TrajectoryReadResult trajectory;
        if (root.TryGetProperty("trajectory", out var turns) && turns.ValueKind == JsonValueKind.Array)
        {
            var count = turns.GetArrayLength();
            trajectory = count > limits.MaxTurns
                ? TrajectoryReadResult.Broken(turns.EnumerateArray().Take(limits.MaxTurns).ToArray(), $"the trajectory has more than {limits.MaxTurns:N0} turns (JsonReadLimits.MaxTurns)")
                : TrajectoryReadResult.Complete(turns.EnumerateArray().ToArray());
        }
        else
        {
            trajectory = TrajectoryReadResult.Complete([]);
        }

        return new StoredRecordRead(source, new StoredRecord
        {
            Source = source,
            Id = id,
            Status = status,
            Persona = TryGetString(root, "persona", out var persona) ? persona : null,
            Reason = TryGetString(root, "reason", out var reason) ? reason : null,
            Script = script,
            Trajectory = trajectory,
            Provenance = root.TryGetProperty("provenance", out var provenance) ? provenance : null,
        }, null);
    }

    private static StoredRecordRead Fail(string source, string message) => new(source, null, $"{source}: {message}");

    private static bool TryGetString(JsonElement root, string name, out string value)
    {
        if (root.TryGetProperty(name, out var element) && element.ValueKind == JsonValueKind.String)
        {
            value = element.GetString()!;
            return true;
        }

        value = string.Empty;
        return false;
    }
}
