using System.Text;
using System.Text.Json;

namespace AgentRefine.Json;

/// <summary>
/// Finds the JSON inside a model's reply: the content of the first Markdown code fence that holds
/// JSON (a fence cut off by a truncated reply is read to the end), otherwise the text itself, and
/// within it the places where a JSON value may start, skipping prose before it.
/// </summary>
public static class LlmJsonText
{
    private const string Fence = "```";

    /// <summary>
    /// Returns the offset and length of the region of <paramref name="text"/> that holds the JSON:
    /// the body of the first code fence whose body contains <c>{</c> or <c>[</c>, or the whole text.
    /// </summary>
    /// <param name="text">The model's reply.</param>
    /// <returns>The region, as an offset and a length into <paramref name="text"/>.</returns>
    public static (int Offset, int Length) FindJsonRegion(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var searchFrom = 0;
        while (true)
        {
            var open = text.IndexOf(Fence, searchFrom, StringComparison.Ordinal);
            if (open < 0)
            {
                return (0, text.Length);
            }

            // The info string (```json) runs to the end of the line.
            var bodyStart = text.IndexOf('\n', open + Fence.Length);
            if (bodyStart < 0)
            {
                return (0, text.Length);
            }

            bodyStart++;
            var close = text.IndexOf(Fence, bodyStart, StringComparison.Ordinal);
            var bodyEnd = close < 0 ? text.Length : close;
            if (text.AsSpan(bodyStart, bodyEnd - bodyStart).IndexOfAny('{', '[') >= 0)
            {
                return (bodyStart, bodyEnd - bodyStart);
            }

            if (close < 0)
            {
                return (0, text.Length);
            }

            searchFrom = close + Fence.Length;
        }
    }

    /// <summary>
    /// The offset (within <paramref name="text"/>) where the JSON value starts: in the region found by
    /// <see cref="FindJsonRegion"/>, the first <c>[</c> or <c>{</c> (as allowed by <paramref name="openers"/>)
    /// that plausibly opens JSON: <c>{</c> followed by <c>"</c> or <c>}</c>, <c>[</c> followed by
    /// <c>{</c> or <c>]</c> (white space between allowed), or either followed by a <c>/</c> comment. Braces in prose such as <c>{name}</c> or
    /// <c>[see below]</c> are skipped; the first plausible start is final, so a value is never read
    /// from the middle of a broken one.
    /// </summary>
    /// <param name="text">The model's reply.</param>
    /// <param name="openers">The characters a value may start with (<c>{</c>, <c>[</c> or both).</param>
    /// <returns>The offset, or -1 when there is none.</returns>
    public static int FindJsonStart(string text, ReadOnlySpan<char> openers)
    {
        ArgumentNullException.ThrowIfNull(text);
        var (offset, length) = FindJsonRegion(text);
        var region = text.AsSpan(offset, length);
        var position = 0;
        while (true)
        {
            var next = region[position..].IndexOfAny(openers);
            if (next < 0)
            {
                return -1;
            }

            position += next;
            var after = region[(position + 1)..].TrimStart();
            var plausible = after.IsEmpty || after[0] == '/' || (region[position] == '['
                ? after[0] is '{' or ']'
                : after[0] is '"' or '}');
            if (plausible)
            {
                return offset + position;
            }

            position++;
        }
    }

    /// <summary>The 1-based line of <paramref name="offset"/> in <paramref name="text"/>.</summary>
    internal static int LineOf(string text, int offset)
    {
        var line = 1;
        foreach (var c in text.AsSpan(0, Math.Min(offset, text.Length)))
        {
            if (c == '\n')
            {
                line++;
            }
        }

        return line;
    }

    /// <summary>Reader options shared by the tolerant readers.</summary>
    internal static JsonReaderOptions ReaderOptions(JsonReadLimits limits, bool allowMultipleValues) => new()
    {
        AllowTrailingCommas = true,
        CommentHandling = JsonCommentHandling.Skip,
        MaxDepth = limits.MaxDepth,
        AllowMultipleValues = allowMultipleValues,
    };

    /// <summary>
    /// Describes a <see cref="JsonException"/> with a line number relative to the whole text
    /// (the exception's own line is relative to where parsing started).
    /// </summary>
    internal static string Describe(JsonException exception, string text, int start)
    {
        var line = LineOf(text, start) + (int)(exception.LineNumber ?? 0);
        var column = exception.BytePositionInLine is { } p ? $", byte {p + 1}" : string.Empty;
        return $"invalid JSON at line {line}{column}: {ShortMessage(exception)}";
    }

    /// <summary>The exception's message without the path and position suffixes System.Text.Json appends.</summary>
    /// <param name="exception">The exception.</param>
    /// <returns>The shortened message.</returns>
    public static string ShortMessage(JsonException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var message = exception.Message;
        foreach (var suffix in (ReadOnlySpan<string>)[" Path:", " LineNumber:"])
        {
            var cut = message.IndexOf(suffix, StringComparison.Ordinal);
            if (cut > 0)
            {
                message = message[..cut];
            }
        }

        return message.TrimEnd();
    }

    /// <summary>Encodes text to UTF-8 for <see cref="Utf8JsonReader"/>, replacing lone surrogates.</summary>
    internal static byte[] ToUtf8(ReadOnlySpan<char> text)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(text)];
        Encoding.UTF8.GetBytes(text, bytes);
        return bytes;
    }

    /// <summary>A short description of a JSON value's kind, for messages.</summary>
    internal static string KindName(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };
}
