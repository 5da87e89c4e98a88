using System.Text.Json;
using AgentRefine.Json;
using AgentRefine.Personas;
using AgentRefine.Scripts;
using AgentRefine.Trajectories;

namespace AgentRefine.Synthesis;

/// <summary>
/// Streams the records of a JSON Lines file written by <see cref="JsonlRecordStore"/>, or by any tool
/// that follows the record contract: <c>id</c> (a string), <c>script</c> and <c>trajectory</c> are
/// required (either may be <see langword="null"/>); <c>status</c> (default <c>accepted</c>),
/// <c>persona</c>, <c>reason</c>, <c>provenance</c>, <c>usage</c> and <c>verdicts</c> are optional.
/// <c>script</c> and <c>trajectory</c> may also be strings holding raw model output, read with the
/// tolerant <see cref="ScriptReader"/> and <see cref="TrajectoryReader"/>. Blank lines are skipped; a
/// line that is not a record is reported with its <c>file:line</c>, never thrown; a torn last line
/// (no line break) is reported as such. Memory stays flat: one 64 KiB chunk of lines is parsed and
/// handed out at a time.
/// </summary>
public static class SynthesisRecordReader
{
    /// <summary>Reads the records of a file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="limits">Read limits (line length, script and trajectory sizes); defaults when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>One entry per non-blank line.</returns>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static IAsyncEnumerable<SynthesisRecordReadResult> ReadAsync(string path, JsonReadLimits? limits = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        limits ??= JsonReadLimits.Shared;
        var name = Path.GetFileName(path);
        return Utf8LineReader.ParseLinesAsync(
            path,
            (line, number, terminated) => terminated ? Parse(line, $"{name}:{number}", limits) : Torn($"{name}:{number}"),
            cancellationToken);
    }

    /// <summary>Reads the records of a stream (for example a file opened by the caller, to report progress from its position).</summary>
    /// <param name="stream">The records, JSON Lines; read to its end, not disposed.</param>
    /// <param name="sourceName">The name used in <c>file:line</c> sources and messages.</param>
    /// <param name="limits">Read limits; defaults when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>One entry per non-blank line.</returns>
    public static IAsyncEnumerable<SynthesisRecordReadResult> ReadAsync(Stream stream, string sourceName, JsonReadLimits? limits = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentException.ThrowIfNullOrWhiteSpace(sourceName);
        limits ??= JsonReadLimits.Shared;
        return Utf8LineReader.ParseLinesAsync(
            stream,
            (line, number, terminated) => terminated ? Parse(line, $"{sourceName}:{number}", limits) : Torn($"{sourceName}:{number}"),
            cancellationToken);
    }

    /// <summary>Parses one line.</summary>
    /// <param name="line">The line's UTF-8 bytes.</param>
    /// <param name="source">The line's <c>file:line</c>.</param>
    /// <param name="limits">Read limits; defaults when <see langword="null"/>.</param>
    /// <returns>The record, or why the line is not one.</returns>
    public static SynthesisRecordReadResult Parse(ReadOnlySpan<byte> line, string source, JsonReadLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        limits ??= JsonReadLimits.Shared;
        if (line.Length > MaxLineBytes(limits))
        {
            return TooLong(source, line.Length, limits);
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

        return FromJson(root, source, limits);
    }

    /// <summary>
    /// Parses one line as <see cref="Parse"/> does, with the same result for every line, but without copying:
    /// the record's JSON values (its script's environment, its turns as read) point into
    /// <paramref name="document"/>, which parses <paramref name="line"/> in place with pooled memory. The record
    /// is valid only until the caller disposes <paramref name="document"/>, and <paramref name="line"/>'s bytes
    /// must not change until then. A line that is not valid JSON is handed to <see cref="Parse"/> for its exact message.
    /// </summary>
    /// <param name="line">The line's UTF-8 bytes.</param>
    /// <param name="source">The line's <c>file:line</c>.</param>
    /// <param name="limits">Read limits.</param>
    /// <param name="document">The document the record borrows from (dispose it when done with the record); <see langword="null"/> when there is none.</param>
    /// <returns>The record, or why the line is not one.</returns>
    internal static SynthesisRecordReadResult ParseBorrowed(ReadOnlyMemory<byte> line, string source, JsonReadLimits limits, out JsonDocument? document)
    {
        document = null;
        var span = line.Span;
        if (span.Length > MaxLineBytes(limits) || !System.Text.Unicode.Utf8.IsValid(span))
        {
            return Parse(span, source, limits);
        }

        try
        {
            // JsonDocument.ParseValue reads the first value and ignores what follows it; find where it ends the same way.
            var reader = new Utf8JsonReader(span, new JsonReaderOptions { MaxDepth = limits.MaxDepth });
            if (!reader.Read())
            {
                return Parse(span, source, limits);
            }

            if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
            {
                reader.Skip();
            }

            document = JsonDocument.Parse(line[..checked((int)reader.BytesConsumed)], new JsonDocumentOptions { MaxDepth = limits.MaxDepth });
        }
        catch (JsonException)
        {
            return Parse(span, source, limits);
        }

        try
        {
            return FromJson(document.RootElement, source, limits);
        }
        catch
        {
            document.Dispose();
            document = null;
            throw;
        }
    }

    /// <summary>The entry of a last line that has no line break.</summary>
    /// <param name="source">The line's <c>file:line</c>.</param>
    /// <returns>The entry.</returns>
    internal static SynthesisRecordReadResult Torn(string source) => new(source, null, $"{source}: the last line is torn (no line break at the end of the file)");

    /// <summary>The longest line read, in bytes: 4 per character of <see cref="JsonReadLimits.MaxInputChars"/>.</summary>
    /// <param name="limits">Read limits.</param>
    /// <returns>The bytes.</returns>
    internal static long MaxLineBytes(JsonReadLimits limits) => 4L * limits.MaxInputChars;

    /// <summary>The entry of a line longer than <see cref="MaxLineBytes"/>.</summary>
    /// <param name="source">The line's <c>file:line</c>.</param>
    /// <param name="length">The line's length in bytes.</param>
    /// <param name="limits">Read limits.</param>
    /// <returns>The entry.</returns>
    internal static SynthesisRecordReadResult TooLong(string source, long length, JsonReadLimits limits) =>
        Fail(source, $"the line is {length:N0} bytes long, over the read limit of {MaxLineBytes(limits):N0} bytes (raise it with --max-line-bytes, or JsonReadLimits.MaxInputChars in code)");

    private static SynthesisRecordReadResult FromJson(JsonElement root, string source, JsonReadLimits limits)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return Fail(source, $"the line is {LlmJsonText.KindName(root.ValueKind)}, not a record object");
        }

        if (!JsonValues.TryGetString(root, "id", out var id))
        {
            return Fail(source, "'id' is missing or not a string");
        }

        var status = SynthesisStatus.Accepted;
        if (root.TryGetProperty("status", out var statusValue) && statusValue.ValueKind != JsonValueKind.Null
            && !(statusValue.ValueKind == JsonValueKind.String && SynthesisJsonNames.TryParse(statusValue.GetString()!, out status)))
        {
            return Fail(source, $"record {id}: 'status' must be \"accepted\", \"rejected\" or \"unfinished\", found {Describe(statusValue)}");
        }

        if (!root.TryGetProperty("script", out var scriptValue))
        {
            return Fail(source, $"record {id}: 'script' is missing (it may be null)");
        }

        if (!root.TryGetProperty("trajectory", out var trajectoryValue))
        {
            return Fail(source, $"record {id}: 'trajectory' is missing (it may be null)");
        }

        RecordProvenance? provenance = null;
        if (root.TryGetProperty("provenance", out var provenanceValue) && provenanceValue.ValueKind == JsonValueKind.Object)
        {
            provenance = RecordProvenance.Read(provenanceValue, out var error);
            if (provenance is null)
            {
                return Fail(source, $"record {id}: {error}");
            }
        }

        return new SynthesisRecordReadResult(source, new SynthesisRecord
        {
            Id = id,
            Status = status,
            Source = source,
            Persona = JsonValues.TryGetString(root, "persona", out var persona) ? new Persona(persona, provenance?.PersonaSource ?? source) : null,
            Reason = JsonValues.TryGetString(root, "reason", out var reason) ? reason : null,
            ScriptRead = ReadScript(scriptValue, limits),
            TrajectoryRead = ReadTrajectory(trajectoryValue, limits),
            Provenance = provenance,
            Usage = root.TryGetProperty("usage", out var usage) ? ReadUsage(usage) : TokenUsage.Zero,
            Verdicts = root.TryGetProperty("verdicts", out var verdicts) ? ReadVerdicts(verdicts) : [],
        }, null);
    }

    /// <summary>The script as read: an object, or a string of model output; <see langword="null"/> when the record has none.</summary>
    private static ScriptReadResult? ReadScript(JsonElement value, JsonReadLimits limits) => value.ValueKind switch
    {
        JsonValueKind.Null => null,
        JsonValueKind.Object => ScriptReader.FromJson(value, limits),
        JsonValueKind.String => ScriptReader.Read(value.GetString()!, limits),
        _ => ScriptReadResult.Failed($"the record's 'script' is {LlmJsonText.KindName(value.ValueKind)}, not a script object or text"),
    };

    /// <summary>The turns as read: an array, <c>{"turns": [...]}</c>, or a string of model output; <see langword="null"/> when the record has none.</summary>
    private static TrajectoryReadResult? ReadTrajectory(JsonElement value, JsonReadLimits limits)
    {
        if (value.ValueKind == JsonValueKind.Object && (value.TryGetProperty("turns", out var turns) || value.TryGetProperty("trajectory", out turns)) && turns.ValueKind == JsonValueKind.Array)
        {
            value = turns;
        }

        switch (value.ValueKind)
        {
            case JsonValueKind.Null:
                return null;
            case JsonValueKind.String:
                return TrajectoryReader.Read(value.GetString()!, limits);
            case JsonValueKind.Array:
                var count = value.GetArrayLength();
                return count > limits.MaxTurns
                    ? TrajectoryReadResult.Broken(value.EnumerateArray().Take(limits.MaxTurns).ToArray(), $"the trajectory has more than {limits.MaxTurns:N0} turns (JsonReadLimits.MaxTurns)")
                    : TrajectoryReadResult.Complete(value.EnumerateArray().ToArray());
            default:
                return TrajectoryReadResult.Broken([], $"the record's 'trajectory' is {LlmJsonText.KindName(value.ValueKind)}, not an array of turns or text");
        }
    }

    /// <summary>Token counts; a count of another type than written reads as 0.</summary>
    private static TokenUsage ReadUsage(JsonElement usage)
    {
        long Count(string name) => usage.ValueKind == JsonValueKind.Object && usage.TryGetProperty(name, out var value) && JsonValues.TryGetInt64(value, out var count) ? count : 0;
        return new TokenUsage(Count("inputTokens"), Count("outputTokens")) { CachedInputTokens = Count("cachedInputTokens") };
    }

    /// <summary>The verdicts, when every one is well-formed; otherwise none (they are history, never used to convert).</summary>
    private static List<SynthesisVerdict> ReadVerdicts(JsonElement verdicts)
    {
        if (verdicts.ValueKind != JsonValueKind.Array)
        {
            return [];
        }

        var read = new List<SynthesisVerdict>(verdicts.GetArrayLength());
        foreach (var value in verdicts.EnumerateArray())
        {
            if (!SynthesisVerdict.TryRead(value, out var verdict))
            {
                return [];
            }

            read.Add(verdict);
        }

        return read;
    }

    private static string Describe(JsonElement value) => value.ValueKind == JsonValueKind.String
        ? MessageQuote(value.GetString()!)
        : LlmJsonText.KindName(value.ValueKind);

    private static string MessageQuote(string text) => text.Length <= 40 ? $"\"{text}\"" : $"\"{text[..40]}…\"";

    private static SynthesisRecordReadResult Fail(string source, string message) => new(source, null, $"{source}: {message}");
}
