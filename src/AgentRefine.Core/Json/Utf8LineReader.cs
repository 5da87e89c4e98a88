using System.Buffers;

namespace AgentRefine.Json;

/// <summary>
/// Splits UTF-8 text into lines without decoding it. Feed it chunks in order; each complete line is
/// handed to a callback as a span valid only during the call, with its 1-based number and the offset
/// just past its line break. <see cref="Finish"/> reports a last piece of text without a line break
/// (a torn last line) with <c>terminated: false</c>. A trailing <c>\r</c> is removed, and so is a
/// UTF-8 byte order mark at the start of the first line (offsets still count its bytes).
/// </summary>
internal sealed class Utf8LineReader
{
    private static ReadOnlySpan<byte> ByteOrderMark => [0xEF, 0xBB, 0xBF];

    private readonly ArrayBufferWriter<byte> _pending = new();
    private long _position;
    private int _number;

    /// <summary>Receives one line.</summary>
    public delegate void LineHandler(ReadOnlySpan<byte> line, int number, long endOffset, bool terminated);

    /// <summary>Turns one non-blank line into a value.</summary>
    public delegate T LineParser<out T>(ReadOnlySpan<byte> line, int number, bool terminated);

    /// <summary>
    /// Streams a file's non-blank lines through <paramref name="parse"/>, 64 KiB at a time: the values
    /// of each chunk's complete lines are handed out before the next chunk is read, so memory stays flat.
    /// </summary>
    public static async IAsyncEnumerable<T> ParseLinesAsync<T>(string path, LineParser<T> parse, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16, useAsync: true);
        await using (stream.ConfigureAwait(false))
        {
            await foreach (var value in ParseLinesAsync(stream, parse, cancellationToken).ConfigureAwait(false))
            {
                yield return value;
            }
        }
    }

    /// <summary>
    /// Streams the non-blank lines of <paramref name="stream"/> (from its current position) through
    /// <paramref name="parse"/>, as <see cref="ParseLinesAsync{T}(string, LineParser{T}, CancellationToken)"/>
    /// does for a file; the stream is not disposed.
    /// </summary>
    public static async IAsyncEnumerable<T> ParseLinesAsync<T>(Stream stream, LineParser<T> parse, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var splitter = new Utf8LineReader();
        var buffer = new byte[1 << 16];
        var parsed = new List<T>();
        void Collect(ReadOnlySpan<byte> line, int number, long endOffset, bool terminated)
        {
            if (!line.Trim(" \t"u8).IsEmpty)
            {
                parsed.Add(parse(line, number, terminated));
            }
        }

        int read;
        do
        {
            read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            if (read > 0)
            {
                splitter.Feed(buffer.AsSpan(0, read), Collect);
            }
            else
            {
                splitter.Finish(Collect);
            }

            foreach (var value in parsed)
            {
                yield return value;
            }

            parsed.Clear();
        }
        while (read > 0);
    }

    /// <summary>Splits the next chunk.</summary>
    public void Feed(ReadOnlySpan<byte> chunk, LineHandler handler)
    {
        var start = 0;
        while (true)
        {
            var newline = chunk[start..].IndexOf((byte)'\n');
            if (newline < 0)
            {
                break;
            }

            var end = start + newline;
            _number++;
            if (_pending.WrittenCount == 0)
            {
                handler(TrimCarriageReturn(TrimByteOrderMark(chunk[start..end], _number)), _number, _position + end + 1, terminated: true);
            }
            else
            {
                _pending.Write(chunk[start..end]);
                handler(TrimCarriageReturn(TrimByteOrderMark(_pending.WrittenSpan, _number)), _number, _position + end + 1, terminated: true);
                _pending.ResetWrittenCount();
            }

            start = end + 1;
        }

        _pending.Write(chunk[start..]);
        _position += chunk.Length;
    }

    /// <summary>Reports the text after the last line break, if any.</summary>
    public void Finish(LineHandler handler)
    {
        if (_pending.WrittenCount > 0)
        {
            handler(TrimByteOrderMark(_pending.WrittenSpan, _number + 1), _number + 1, _position, terminated: false);
            _pending.ResetWrittenCount();
        }
    }

    /// <summary>Reads every line of <paramref name="stream"/> from its current position.</summary>
    public static async Task ReadAsync(Stream stream, LineHandler handler, CancellationToken cancellationToken)
    {
        var splitter = new Utf8LineReader();
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 16);
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer.AsMemory(0, buffer.Length), cancellationToken).ConfigureAwait(false)) > 0)
            {
                splitter.Feed(buffer.AsSpan(0, read), handler);
            }

            splitter.Finish(handler);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The first line without a leading UTF-8 byte order mark (editors on Windows write one); other lines as they are.</summary>
    private static ReadOnlySpan<byte> TrimByteOrderMark(ReadOnlySpan<byte> line, int number) =>
        number == 1 && line.StartsWith(ByteOrderMark) ? line[ByteOrderMark.Length..] : line;

    private static ReadOnlySpan<byte> TrimCarriageReturn(ReadOnlySpan<byte> line) =>
        line.Length > 0 && line[^1] == (byte)'\r' ? line[..^1] : line;
}
