using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.ExceptionServices;
using System.Text.Json;
using AgentRefine.Json;

namespace AgentRefine.Conversion;

/// <summary>
/// The rows of a batch of conversations, serialized off the writer's thread by
/// <see cref="JsonlDatasetWriter.Render"/> and later copied into the dataset, in order, by
/// <see cref="JsonlDatasetWriter.CommitRenderedAsync"/>. Per conversation it keeps the file it goes to
/// (train or eval), its rows' bytes, the writer state to update when it is written, or the exception
/// writing it threw (thrown again when its turn comes, as the sequential write would have thrown it).
/// One instance per batch; not thread-safe; reused after <see cref="Clear"/>.
/// </summary>
[SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable", Justification = "The Utf8JsonWriter writes into an ArrayBufferWriter: it holds no resource, and every row is flushed.")]
internal sealed class RenderedRows
{
    private const int KeptCapacity = 4 << 20;
    private readonly List<(int Start, int End)> _rows = [];
    private readonly List<Entry> _entries = [];
    private ArrayBufferWriter<byte> _bytes = new(1 << 16);
    private Utf8JsonWriter? _writer;
    private int _firstRow;
    private bool _eval;
    private Action? _committed;

    /// <summary>Conversations rendered.</summary>
    public int Count => _entries.Count;

    /// <summary>The writer rendering into these rows right now, if any (so that its row calls land here).</summary>
    internal JsonlDatasetWriter? Owner { get; set; }

    /// <summary>Starts a conversation's rows.</summary>
    /// <param name="eval">Whether the conversation goes to the eval file.</param>
    public void Begin(bool eval)
    {
        _firstRow = _rows.Count;
        _eval = eval;
        _committed = null;
    }

    /// <summary>Writes one row's JSON object.</summary>
    /// <param name="write">Writes the object.</param>
    public void WriteRow(Action<Utf8JsonWriter> write)
    {
        var start = _bytes.WrittenCount;
        if (_writer is null)
        {
            _writer = new Utf8JsonWriter(_bytes, CanonicalJson.WriterOptions(indented: false));
        }
        else
        {
            _writer.Reset(_bytes);
        }

        write(_writer);
        _writer.Flush();
        _rows.Add((start, _bytes.WrittenCount));
    }

    /// <summary>Adds an update of the writer's state, run when the conversation is written.</summary>
    /// <param name="update">The update.</param>
    public void Defer(Action update) => _committed += update;

    /// <summary>Keeps the conversation begun last.</summary>
    public void End() => _entries.Add(new Entry(_eval, _firstRow, _rows.Count - _firstRow, null, _committed));

    /// <summary>Drops the rows of the conversation begun last and keeps why it could not be written.</summary>
    /// <param name="failure">What writing it threw.</param>
    public void Fail(ExceptionDispatchInfo failure)
    {
        // Bytes of dropped rows stay in the buffer, unreferenced.
        _rows.RemoveRange(_firstRow, _rows.Count - _firstRow);
        _entries.Add(new Entry(_eval, _firstRow, 0, failure, null));
    }

    /// <summary>The <paramref name="index"/>th conversation.</summary>
    /// <param name="index">The index, in rendering order.</param>
    /// <returns>Its entry.</returns>
    public Entry this[int index] => _entries[index];

    /// <summary>A row's JSON object.</summary>
    /// <param name="row">The row's index (<see cref="Entry.FirstRow"/> onwards).</param>
    /// <returns>Its bytes.</returns>
    public ReadOnlySpan<byte> Row(int row)
    {
        var (start, end) = _rows[row];
        return _bytes.WrittenSpan[start..end];
    }

    /// <summary>Empties the rows for the next batch (a buffer grown past 4 MiB is let go).</summary>
    public void Clear()
    {
        _rows.Clear();
        _entries.Clear();
        _committed = null;
        if (_bytes.Capacity > KeptCapacity)
        {
            _bytes = new ArrayBufferWriter<byte>(1 << 16);
            _writer = null;
        }
        else
        {
            _bytes.ResetWrittenCount();
        }
    }

    /// <summary>One rendered conversation.</summary>
    /// <param name="Eval">Whether it goes to the eval file.</param>
    /// <param name="FirstRow">Its first row's index.</param>
    /// <param name="RowCount">Its rows.</param>
    /// <param name="Failure">What rendering it threw; <see langword="null"/> when it rendered.</param>
    /// <param name="Committed">The writer state to update when it is written; <see langword="null"/> when none.</param>
    internal readonly record struct Entry(bool Eval, int FirstRow, int RowCount, ExceptionDispatchInfo? Failure, Action? Committed);
}
