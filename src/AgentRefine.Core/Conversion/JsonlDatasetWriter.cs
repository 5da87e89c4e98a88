using AgentRefine.IO;
using AgentRefine.Json;
using System.Buffers;
using System.Text.Json;

namespace AgentRefine.Conversion;

/// <summary>
/// The base of the JSON Lines dataset writers: it checks each conversation against the rules every
/// chat trainer shares (an optional system message first, then user and assistant strictly
/// alternating from the user, ending on the assistant, loss only on assistant messages, at least one
/// trained), lets the derived format write its rows, and streams them to a temporary file beside the
/// target that <see cref="CompleteAsync"/> renames into place (with the side files written first), so
/// the dataset appears at its path only when complete: disposing the writer without completing it
/// leaves the target as it was. Derive from it to add a format.
/// </summary>
public abstract class JsonlDatasetWriter : ITrainingDatasetWriter
{
    private readonly AtomicFile _file;
    private readonly Stream _stream;
    private readonly ArrayBufferWriter<byte> _buffer = new(1 << 16);
    private readonly Utf8JsonWriter _writer;
    private bool _completed;

    /// <summary>Creates the writer and its temporary file (an existing dataset is replaced when the writer completes).</summary>
    /// <param name="path">The dataset file.</param>
    protected JsonlDatasetWriter(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        OutputPath = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(OutputPath);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        // The dataset appears at its path only when complete: a failed or cancelled conversion leaves the
        // target as it was (absent or the previous version), never a partial dataset a trainer would use.
        _file = AtomicFile.Create(OutputPath);
        _stream = _file.Stream;
        _writer = new Utf8JsonWriter(_buffer, CanonicalJson.WriterOptions(indented: false));
    }

    /// <summary>The dataset file's full path.</summary>
    protected string OutputPath { get; }

    /// <inheritdoc />
    public abstract string FormatName { get; }

    /// <inheritdoc />
    public long RowsWritten { get; private set; }

    /// <inheritdoc />
    public long BytesWritten { get; private set; }

    /// <inheritdoc />
    public async ValueTask WriteAsync(TrainingConversation conversation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        ObjectDisposedException.ThrowIf(_completed, this);
        Validate(conversation);
        var mark = _buffer.WrittenCount;
        var rows = RowsWritten;
        try
        {
            WriteRows(conversation);
        }
        catch
        {
            // Nothing of a failed conversation is written.
            var kept = _buffer.WrittenSpan[..mark].ToArray();
            _buffer.ResetWrittenCount();
            _buffer.Write(kept);
            RowsWritten = rows;
            throw;
        }

        if (_buffer.WrittenCount >= 1 << 16)
        {
            await FlushBufferAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async ValueTask CompleteAsync(CancellationToken cancellationToken = default)
    {
        if (_completed)
        {
            return;
        }

        await FlushBufferAsync(cancellationToken).ConfigureAwait(false);
        await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        await WriteSideFilesAsync(cancellationToken).ConfigureAwait(false);
        await _file.CommitAsync(cancellationToken).ConfigureAwait(false);
        _completed = true;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _writer.DisposeAsync().ConfigureAwait(false);
        await _file.DisposeAsync().ConfigureAwait(false);
        GC.SuppressFinalize(this);
    }

    /// <summary>Writes a conversation's rows, each with <see cref="WriteRow"/>.</summary>
    /// <param name="conversation">The validated conversation.</param>
    protected abstract void WriteRows(TrainingConversation conversation);

    /// <summary>Writes one row: a JSON object produced by <paramref name="write"/>, then a line break.</summary>
    /// <param name="write">Writes the row's object.</param>
    protected void WriteRow(Action<Utf8JsonWriter> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        _writer.Reset(_buffer);
        write(_writer);
        _writer.Flush();
        _buffer.Write("\n"u8);
        RowsWritten++;
    }

    /// <summary>Checks a conversation against the format's rules; the base checks the rules every chat trainer shares.</summary>
    /// <param name="conversation">The conversation.</param>
    /// <exception cref="DatasetFormatException">A rule is broken.</exception>
    protected virtual void Validate(TrainingConversation conversation)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        var messages = conversation.Messages;
        var first = messages.Count > 0 && messages[0].Role == TrainingRole.System ? 1 : 0;
        if (messages.Count - first == 0)
        {
            throw Broken(conversation, "it has no user or assistant message");
        }

        for (var i = first; i < messages.Count; i++)
        {
            var expected = (i - first) % 2 == 0 ? TrainingRole.User : TrainingRole.Assistant;
            if (messages[i].Role != expected)
            {
                throw Broken(conversation, $"message {i} is {messages[i].Role}, expected {expected} (user and assistant must alternate, starting with the user)");
            }

            if (messages[i].Train && messages[i].Role != TrainingRole.Assistant)
            {
                throw Broken(conversation, $"message {i} is a {messages[i].Role} message marked for training (loss goes on assistant messages only)");
            }
        }

        if (messages[^1].Role != TrainingRole.Assistant)
        {
            throw Broken(conversation, "it does not end with an assistant message");
        }

        if (conversation.TrainedTurns == 0)
        {
            throw Broken(conversation, "no assistant message is trained");
        }
    }

    /// <summary>Writes files the trainer needs beside the dataset (configuration snippets). Default: none.</summary>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task.</returns>
    protected virtual ValueTask WriteSideFilesAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>An exception naming the conversation, the format and the rule.</summary>
    /// <param name="conversation">The conversation.</param>
    /// <param name="rule">What is wrong.</param>
    /// <returns>The exception.</returns>
    protected DatasetFormatException Broken(TrainingConversation conversation, string rule)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        return new DatasetFormatException($"Conversation {conversation.Id} cannot be written as {FormatName}: {rule}.");
    }

    private async ValueTask FlushBufferAsync(CancellationToken cancellationToken)
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
