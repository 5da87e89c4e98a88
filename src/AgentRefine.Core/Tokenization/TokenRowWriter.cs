using System.Buffers;
using System.Text.Json;
using AgentRefine.IO;
using AgentRefine.Json;

namespace AgentRefine.Tokenization;

/// <summary>
/// Writes token rows as JSON Lines, <c>{"id"?, "input_ids": [...], "labels": [...], "attention_mask": [...]}</c>
/// a line (the layout TRL, torchtune, Together AI and any Hugging Face <c>Trainer</c> load), to a
/// temporary file beside the target that <see cref="CompleteAsync"/> renames into place: the target
/// never holds a partial file, and a writer disposed without completing leaves nothing behind.
/// </summary>
public sealed class TokenRowWriter : IAsyncDisposable
{
    private const int FlushThreshold = 1 << 16;
    private readonly AtomicFile _file;
    private readonly ArrayBufferWriter<byte> _buffer = new(FlushThreshold * 2);
    private readonly Utf8JsonWriter _writer;
    private bool _completed;
    private bool _disposed;

    /// <summary>Creates the writer and its temporary file (an existing target is replaced on completion).</summary>
    /// <param name="path">The target file.</param>
    public TokenRowWriter(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        OutputPath = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(OutputPath)!);
        _file = AtomicFile.Create(OutputPath);
        _writer = new Utf8JsonWriter(_buffer, CanonicalJson.WriterOptions(indented: false));
    }

    /// <summary>The target file's full path.</summary>
    public string OutputPath { get; }

    /// <summary>The temporary file written until <see cref="CompleteAsync"/>.</summary>
    public string TemporaryPath => _file.TemporaryPath;

    /// <summary>Rows written.</summary>
    public long RowsWritten { get; private set; }

    /// <summary>Bytes written.</summary>
    public long BytesWritten { get; private set; }

    /// <summary>Writes one row.</summary>
    /// <param name="row">The ids and labels.</param>
    /// <param name="id">The row's id, written first when not <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task.</returns>
    public async ValueTask WriteAsync(TokenizedConversation row, string? id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(row);
        ObjectDisposedException.ThrowIf(_completed || _disposed, this);
        _writer.Reset(_buffer);
        TokenRowJson.Write(_writer, row, id);
        _writer.Flush();
        _buffer.Write("\n"u8);
        RowsWritten++;
        if (_buffer.WrittenCount >= FlushThreshold)
        {
            await FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Flushes everything and moves the temporary file to <see cref="OutputPath"/>.</summary>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task.</returns>
    public async ValueTask CompleteAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_completed)
        {
            return;
        }

        await FlushAsync(cancellationToken).ConfigureAwait(false);
        await _file.CommitAsync(cancellationToken).ConfigureAwait(false);
        _completed = true;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await _writer.DisposeAsync().ConfigureAwait(false);

        // Uncommitted, the temporary file is deleted and the target is left as it was.
        await _file.DisposeAsync().ConfigureAwait(false);
    }

    private async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        if (_buffer.WrittenCount == 0)
        {
            return;
        }

        await _file.Stream.WriteAsync(_buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
        BytesWritten += _buffer.WrittenCount;
        _buffer.ResetWrittenCount();
    }
}
