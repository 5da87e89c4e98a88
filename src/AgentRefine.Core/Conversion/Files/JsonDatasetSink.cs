using System.Buffers;
using AgentRefine.IO;

namespace AgentRefine.Conversion;

/// <summary>
/// JSON Lines (an object a line) or one JSON array (<c>[</c>, objects separated by <c>,</c> and a line break,
/// <c>]</c>), streamed through a 64 KiB buffer: the array is never built in memory.
/// </summary>
internal sealed class JsonDatasetSink(AtomicFile file, bool array) : DatasetSink(file)
{
    private const int FlushThreshold = 1 << 16;
    private readonly ArrayBufferWriter<byte> _buffer = new(FlushThreshold);
    private int _markPosition;
    private long _markRows;

    public override void BeginConversation()
    {
        _markPosition = _buffer.WrittenCount;
        _markRows = Rows;
    }

    public override IBufferWriter<byte> BeginRow()
    {
        if (array)
        {
            _buffer.Write(Rows == 0 ? "[\n"u8 : ",\n"u8);
        }

        return _buffer;
    }

    public override void EndRow()
    {
        if (!array)
        {
            _buffer.Write("\n"u8);
        }

        Rows++;
    }

    public override void AbortConversation()
    {
        // Rows are flushed only between conversations, so the conversation's bytes are all still buffered.
        var kept = _buffer.WrittenSpan[.._markPosition].ToArray();
        _buffer.ResetWrittenCount();
        _buffer.Write(kept);
        Rows = _markRows;
    }

    public override async ValueTask FlushIfFullAsync(CancellationToken cancellationToken)
    {
        if (_buffer.WrittenCount >= FlushThreshold)
        {
            await FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public override async ValueTask FinishAsync(CancellationToken cancellationToken)
    {
        if (array)
        {
            _buffer.Write(Rows == 0 ? "[]\n"u8 : "\n]\n"u8);
        }

        await FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        if (_buffer.WrittenCount == 0)
        {
            return;
        }

        await File.Stream.WriteAsync(_buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
        Bytes += _buffer.WrittenCount;
        _buffer.ResetWrittenCount();
    }
}
