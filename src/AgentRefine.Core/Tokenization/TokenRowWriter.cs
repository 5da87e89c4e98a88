using System.Buffers;
using System.Globalization;
using System.Text.Json;
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
    private readonly FileStream _stream;
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
        var directory = Path.GetDirectoryName(OutputPath)!;
        Directory.CreateDirectory(directory);
        TemporaryPath = Path.Combine(directory, string.Create(CultureInfo.InvariantCulture, $".{Path.GetFileName(OutputPath)}.{Guid.NewGuid():N}.tmp"));
        _stream = new FileStream(TemporaryPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, FlushThreshold, useAsync: true);
        _writer = new Utf8JsonWriter(_buffer, CanonicalJson.WriterOptions(indented: false));
    }

    /// <summary>The target file's full path.</summary>
    public string OutputPath { get; }

    /// <summary>The temporary file written until <see cref="CompleteAsync"/>.</summary>
    public string TemporaryPath { get; }

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
        _writer.WriteStartObject();
        if (id is not null)
        {
            _writer.WriteString("id"u8, id);
        }

        WriteArray("input_ids"u8, row.InputIds);
        WriteArray("labels"u8, row.Labels);
        _writer.WriteStartArray("attention_mask"u8);
        for (var i = 0; i < row.Length; i++)
        {
            _writer.WriteNumberValue(1);
        }

        _writer.WriteEndArray();
        _writer.WriteEndObject();
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
        await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        await _stream.DisposeAsync().ConfigureAwait(false);
        File.Move(TemporaryPath, OutputPath, overwrite: true);
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
        await _stream.DisposeAsync().ConfigureAwait(false);
        if (!_completed)
        {
            File.Delete(TemporaryPath);
        }
    }

    private void WriteArray(ReadOnlySpan<byte> name, IReadOnlyList<int> values)
    {
        _writer.WriteStartArray(name);
        foreach (var value in values)
        {
            _writer.WriteNumberValue(value);
        }

        _writer.WriteEndArray();
    }

    private async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        if (_buffer.WrittenCount == 0)
        {
            return;
        }

        await _stream.WriteAsync(_buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
        BytesWritten += _buffer.WrittenCount;
        _buffer.ResetWrittenCount();
    }
}
