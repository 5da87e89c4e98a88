using AgentRefine.Json;
using System.Text.Json;

namespace AgentRefine.Trajectories;

/// <summary>
/// Reads a trajectory from a model's reply or a file and salvages what it can. Accepted shapes: a
/// JSON array of turns; an object whose <c>turns</c> (or <c>trajectory</c>) key holds that array;
/// or turn objects one after another (JSON Lines). Prose and a Markdown code fence around the JSON
/// are skipped. When the JSON is malformed or cut off, the turns read whole before the break are
/// returned together with the index where it broke.
/// </summary>
public static class TrajectoryReader
{
    /// <summary>Reads a trajectory from text.</summary>
    /// <param name="text">The text.</param>
    /// <param name="limits">Size limits; <see cref="JsonReadLimits.Default"/> when <see langword="null"/>.</param>
    /// <returns>The salvaged turns and, if the JSON broke, where and why.</returns>
    public static TrajectoryReadResult Read(string text, JsonReadLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        limits ??= JsonReadLimits.Shared;
        if (limits.InputLengthError(text) is { } tooLong)
        {
            return TrajectoryReadResult.Broken([], tooLong);
        }

        var start = LlmJsonText.FindJsonStart(text, "[{");
        return start < 0
            ? TrajectoryReadResult.Broken([], "the text holds no JSON array of turns")
            : ReadAt(text, start, limits);
    }

    private static TrajectoryReadResult ReadAt(string text, int start, JsonReadLimits limits)
    {
        var bytes = LlmJsonText.ToUtf8(text.AsSpan(start));
        var turns = new List<JsonElement>();
        var reader = new Utf8JsonReader(bytes, LlmJsonText.ReaderOptions(limits, allowMultipleValues: false));
        try
        {
            if (!reader.Read())
            {
                return TrajectoryReadResult.Broken(turns, "the text ends before any turn");
            }

            if (reader.TokenType == JsonTokenType.StartArray)
            {
                return ReadArray(ref reader, turns, limits);
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString()!.Trim().ToLowerInvariant();
                if (name == Turn.RoleKey)
                {
                    break;
                }

                reader.Read();
                if (name is "turns" or "trajectory" && reader.TokenType == JsonTokenType.StartArray)
                {
                    return ReadArray(ref reader, turns, limits);
                }

                reader.Skip();
            }

        }
        catch (JsonException exception)
        {
            return TrajectoryReadResult.Broken(turns, LlmJsonText.Describe(exception, text, start));
        }

        return ReadSequence(text, start, bytes, limits);
    }

    private static TrajectoryReadResult ReadArray(ref Utf8JsonReader reader, List<JsonElement> turns, JsonReadLimits limits)
    {
        while (true)
        {
            if (!reader.Read())
            {
                return TrajectoryReadResult.Broken(turns, "the text ends before the array of turns is closed");
            }

            if (reader.TokenType == JsonTokenType.EndArray)
            {
                return TrajectoryReadResult.Complete(turns);
            }

            if (turns.Count == limits.MaxTurns)
            {
                return TrajectoryReadResult.Broken(turns, $"the trajectory has more than {limits.MaxTurns:N0} turns (JsonReadLimits.MaxTurns)");
            }

            using var document = JsonDocument.ParseValue(ref reader);
            turns.Add(document.RootElement.Clone());
        }
    }

    /// <summary>Turn objects one after another, separated by white space or commas, until the text or the objects end.</summary>
    private static TrajectoryReadResult ReadSequence(string text, int start, byte[] bytes, JsonReadLimits limits)
    {
        var turns = new List<JsonElement>();
        var position = 0;
        while (true)
        {
            while (position < bytes.Length && bytes[position] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or (byte)',')
            {
                position++;
            }

            if (position >= bytes.Length || bytes[position] != (byte)'{')
            {
                return TrajectoryReadResult.Complete(turns);
            }

            if (turns.Count == limits.MaxTurns)
            {
                return TrajectoryReadResult.Broken(turns, $"the trajectory has more than {limits.MaxTurns:N0} turns (JsonReadLimits.MaxTurns)");
            }

            var reader = new Utf8JsonReader(bytes.AsSpan(position), LlmJsonText.ReaderOptions(limits, allowMultipleValues: true));
            try
            {
                using var document = JsonDocument.ParseValue(ref reader);
                turns.Add(document.RootElement.Clone());
            }
            catch (JsonException exception)
            {
                var linesBefore = bytes.AsSpan(0, position).Count((byte)'\n');
                var shifted = new JsonException(exception.Message, exception.Path, exception.LineNumber + linesBefore, exception.BytePositionInLine);
                return TrajectoryReadResult.Broken(turns, LlmJsonText.Describe(shifted, text, start));
            }

            position += (int)reader.BytesConsumed;
        }
    }
}
