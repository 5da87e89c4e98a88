namespace AgentRefine.Json;

/// <summary>
/// A run of consecutive non-blank lines of a JSON Lines stream, copied out of the read buffer so that a
/// worker can parse them while the reader goes on (see <see cref="OrderedLinePipeline"/>). Each line keeps
/// its 1-based number, the stream offset just past it, and whether it ended with a line break. A line longer
/// than the batch's byte limit, and a torn last line, are kept without their bytes: the reader reports both
/// without parsing them. A batch is reused: <see cref="Clear"/> keeps its buffers.
/// </summary>
internal sealed class LineBatch
{
    private const int InitialBytes = 1 << 16;
    private byte[] _bytes = [];
    private Entry[] _lines = new Entry[64];

    /// <summary>Lines in the batch.</summary>
    public int Count { get; private set; }

    /// <summary>Bytes of the lines kept (what the workers parse).</summary>
    public int ByteCount { get; private set; }

    /// <summary>The batch's place in the stream: 0 for the first batch, then 1, 2, ….</summary>
    public long Sequence { get; set; }

    /// <summary>The <paramref name="index"/>th line's 1-based number in the stream.</summary>
    public int Number(int index) => _lines[index].Number;

    /// <summary>The stream offset just past the <paramref name="index"/>th line (its line break included), from where the read started.</summary>
    public long EndOffset(int index) => _lines[index].EndOffset;

    /// <summary>Whether the <paramref name="index"/>th line ended with a line break (only a torn last line does not).</summary>
    public bool IsTerminated(int index) => _lines[index].Terminated;

    /// <summary>The <paramref name="index"/>th line's length in bytes (kept or not).</summary>
    public int Length(int index) => _lines[index].Length;

    /// <summary>Whether the <paramref name="index"/>th line's bytes were kept (a terminated line within the byte limit).</summary>
    public bool HasBytes(int index) => _lines[index].Start >= 0;

    /// <summary>The <paramref name="index"/>th line's bytes, valid until the batch is cleared; empty when they were not kept.</summary>
    public ReadOnlyMemory<byte> Bytes(int index) => _lines[index] is { Start: >= 0 } line ? _bytes.AsMemory(line.Start, line.Length) : ReadOnlyMemory<byte>.Empty;

    /// <summary>Adds a line (copying its bytes when it is terminated and at most <paramref name="maxBytes"/> long).</summary>
    public void Add(ReadOnlySpan<byte> line, int number, long endOffset, bool terminated, long maxBytes)
    {
        var start = -1;
        if (terminated && line.Length <= maxBytes)
        {
            if (_bytes.Length - ByteCount < line.Length)
            {
                Array.Resize(ref _bytes, (int)Math.Min(Array.MaxLength, Math.Max(Math.Max(InitialBytes, (long)_bytes.Length * 2), (long)ByteCount + line.Length)));
            }

            line.CopyTo(_bytes.AsSpan(ByteCount));
            start = ByteCount;
            ByteCount += line.Length;
        }

        if (Count == _lines.Length)
        {
            Array.Resize(ref _lines, _lines.Length * 2);
        }

        _lines[Count++] = new Entry(start, line.Length, number, endOffset, terminated);
    }

    /// <summary>Empties the batch, keeping its buffers (a byte buffer grown past 1 MiB for a long line is let go).</summary>
    public void Clear()
    {
        Count = 0;
        ByteCount = 0;
        if (_bytes.Length > 1 << 20)
        {
            _bytes = [];
        }
    }

    private readonly record struct Entry(int Start, int Length, int Number, long EndOffset, bool Terminated);
}
