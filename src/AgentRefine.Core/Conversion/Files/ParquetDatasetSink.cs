using System.Buffers;
using AgentRefine.IO;
using Parquet;
using Parquet.Schema;

namespace AgentRefine.Conversion;

/// <summary>
/// A Parquet file written row group by row group: a conversation's rows are kept as JSON until it ends, then
/// shredded into the columns of the row group being gathered, which is written out once it holds
/// <see cref="MaxRowsPerGroup"/> rows or <see cref="MaxJsonBytesPerGroup"/> bytes of JSON. Memory is bounded by
/// one row group, whatever the dataset's size. The footer (schema, row groups) is written by <see cref="FinishAsync"/>.
/// </summary>
internal sealed class ParquetDatasetSink(AtomicFile file, ParquetSchema schema, Func<string> formatName) : DatasetSink(file)
{
    /// <summary>The most rows a row group holds.</summary>
    internal const int MaxRowsPerGroup = 10_000;

    /// <summary>The most JSON bytes of rows a row group gathers before it is written (about twice that in memory as .NET strings).</summary>
    internal const int MaxJsonBytesPerGroup = 16 << 20;

    private readonly ParquetRowShredder _shredder = new(schema);
    private readonly ArrayBufferWriter<byte> _pending = new(1 << 16);
    private readonly List<int> _rowEnds = [];
    private ParquetWriter? _writer;

    /// <summary>Row groups written so far.</summary>
    public int RowGroups { get; private set; }

    public override void BeginConversation()
    {
        _pending.ResetWrittenCount();
        _rowEnds.Clear();
    }

    public override IBufferWriter<byte> BeginRow() => _pending;

    public override void EndRow()
    {
        _rowEnds.Add(_pending.WrittenCount);
        Rows++;
    }

    public override void EndConversation()
    {
        var start = 0;
        foreach (var end in _rowEnds)
        {
            _shredder.Add(_pending.WrittenSpan[start..end]);
            start = end;
        }

        _rowEnds.Clear();
        _pending.ResetWrittenCount();
        base.EndConversation();
    }

    public override void AbortConversation()
    {
        Rows -= _rowEnds.Count;
        _rowEnds.Clear();
        _pending.ResetWrittenCount();
    }

    public override async ValueTask FlushIfFullAsync(CancellationToken cancellationToken)
    {
        if (_shredder.Rows >= MaxRowsPerGroup || _shredder.JsonBytes >= MaxJsonBytesPerGroup)
        {
            await WriteRowGroupAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public override async ValueTask FinishAsync(CancellationToken cancellationToken)
    {
        if (_shredder.Rows > 0)
        {
            await WriteRowGroupAsync(cancellationToken).ConfigureAwait(false);
        }

        var writer = await WriterAsync(cancellationToken).ConfigureAwait(false);
        await writer.DisposeAsync().ConfigureAwait(false);
        Bytes = File.Stream.Position;
    }

    private async Task WriteRowGroupAsync(CancellationToken cancellationToken)
    {
        var writer = await WriterAsync(cancellationToken).ConfigureAwait(false);
        await _shredder.WriteRowGroupAsync(writer, cancellationToken).ConfigureAwait(false);
        RowGroups++;
        Bytes = File.Stream.Position;
    }

    private async ValueTask<ParquetWriter> WriterAsync(CancellationToken cancellationToken)
    {
        if (_writer is null)
        {
            _writer = await ParquetWriter.CreateAsync(_shredder.Schema, File.Stream, cancellationToken: cancellationToken).ConfigureAwait(false);
            _writer.CustomMetadata = new Dictionary<string, string>(StringComparer.Ordinal) { ["agentrefine.format"] = formatName() };
        }

        return _writer;
    }
}
