using System.Text.Json;
using AgentRefine.Conversion;
using AgentRefine.Json;

namespace AgentRefine.Tokenization;

/// <summary>
/// Streams a chat dataset in the OpenAI fine-tuning shape, one JSON object a line:
/// <c>{"id"?, "messages": [{"role": "system"|"user"|"assistant", "content": "...", "weight"?: 0|1}]}</c>.
/// An assistant message without <c>weight</c> is trained; <c>weight: 0</c> keeps it in context without
/// loss. Blank lines are skipped and a UTF-8 byte order mark is ignored. Memory stays flat.
/// </summary>
public static class ChatRowReader
{
    /// <summary>Reads the rows of a file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="limits">Read limits (line length, nesting); defaults when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>One row per non-blank line, in order.</returns>
    /// <exception cref="InvalidDataException">A line is not such a row (not JSON, no <c>messages</c> array, a message without a string role or content); the message names its <c>file:line</c>.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static IAsyncEnumerable<ChatRow> ReadAsync(string path, JsonReadLimits? limits = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        limits ??= JsonReadLimits.Shared;
        var name = Path.GetFileName(path);
        return Utf8LineReader.ParseLinesAsync(path, (line, number, _) => Parse(line, $"{name}:{number}", limits), cancellationToken);
    }

    /// <summary>Parses one line.</summary>
    /// <param name="line">The line's UTF-8 bytes.</param>
    /// <param name="source">Its <c>file:line</c>.</param>
    /// <param name="limits">Read limits; defaults when <see langword="null"/>.</param>
    /// <returns>The row.</returns>
    /// <exception cref="InvalidDataException">The line is not such a row; the message starts with <paramref name="source"/>.</exception>
    public static ChatRow Parse(ReadOnlySpan<byte> line, string source, JsonReadLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        limits ??= JsonReadLimits.Shared;
        if (line.StartsWith("\uFEFF"u8))
        {
            line = line[3..];
        }

        if (line.Length > 4L * limits.MaxInputChars)
        {
            throw Unreadable(source, $"the line is {line.Length:N0} bytes long, over the read limit (JsonReadLimits.MaxInputChars)");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line.ToArray(), new JsonDocumentOptions { MaxDepth = limits.MaxDepth });
        }
        catch (JsonException exception)
        {
            throw Unreadable(source, $"it is not JSON ({exception.Message})");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("messages", out var messages) || messages.ValueKind != JsonValueKind.Array)
            {
                throw Unreadable(source, "it is not an object with a \"messages\" array");
            }

            string? id = null;
            if (root.TryGetProperty("id", out var idElement))
            {
                id = idElement.ValueKind switch
                {
                    JsonValueKind.String => TryGetString(idElement, out var text) ? text : throw Unreadable(source, "its \"id\" has a lone surrogate escape"),
                    JsonValueKind.Number => idElement.GetRawText(),
                    JsonValueKind.Null => null,
                    _ => throw Unreadable(source, "its \"id\" is neither a string nor a number"),
                };
            }

            var list = new List<TrainingMessage>(messages.GetArrayLength());
            string? refusal = null;
            var index = 0;
            foreach (var message in messages.EnumerateArray())
            {
                if (message.ValueKind != JsonValueKind.Object
                    || !message.TryGetProperty("role", out var role) || role.ValueKind != JsonValueKind.String
                    || !message.TryGetProperty("content", out var content) || content.ValueKind != JsonValueKind.String)
                {
                    throw Unreadable(source, $"messages[{index}] is not an object with a string \"role\" and a string \"content\"");
                }

                if (!TryGetString(role, out var roleText) || !TryGetString(content, out var contentText))
                {
                    refusal ??= $"messages[{index}] has a lone surrogate escape (\\uD800-\\uDFFF without its pair), which is not valid UTF-16 text";
                }
                else
                {
                    refusal ??= Read(message, roleText, contentText, index, list);
                }

                index++;
            }

            return refusal is null
                ? new ChatRow(source, id, new TrainingConversation(id ?? source, list), null)
                : new ChatRow(source, id, null, refusal);
        }
    }

    private static string? Read(JsonElement message, string role, string content, int index, List<TrainingMessage> list)
    {
        var kind = role switch
        {
            "system" => TrainingRole.System,
            "user" => TrainingRole.User,
            "assistant" => TrainingRole.Assistant,
            _ => (TrainingRole?)null,
        };
        if (kind is not { } known)
        {
            return $"messages[{index}] has the role '{role}' (system, user and assistant are tokenized)";
        }

        var train = known == TrainingRole.Assistant;
        if (message.TryGetProperty("weight", out var weight) && weight.ValueKind != JsonValueKind.Null)
        {
            if (known != TrainingRole.Assistant)
            {
                return $"messages[{index}] is a {role} message with a weight (only assistant messages carry one)";
            }

            if (weight.ValueKind != JsonValueKind.Number || !weight.TryGetDouble(out var value) || value is not (0 or 1))
            {
                return $"messages[{index}] has the weight {weight.GetRawText()} (0 or 1)";
            }

            train = value == 1;
        }

        list.Add(new TrainingMessage(known, content, train, []));
        return null;
    }

    // System.Text.Json refuses to unescape a lone surrogate (\uD800 without its pair).
    private static bool TryGetString(JsonElement element, out string text)
    {
        try
        {
            text = element.GetString()!;
            return true;
        }
        catch (InvalidOperationException)
        {
            text = string.Empty;
            return false;
        }
    }

    private static InvalidDataException Unreadable(string source, string problem) => new($"{source}: {problem}.");
}
