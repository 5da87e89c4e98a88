using System.Buffers;
using System.Runtime.ExceptionServices;
using AgentRefine.IO;
using AgentRefine.Json;
using System.Text.Json;
using Parquet.Schema;

namespace AgentRefine.Conversion;

/// <summary>
/// The base of the dataset writers: it checks each conversation against the rules every chat trainer shares
/// (an optional system message first, then user and assistant strictly alternating from the user, ending on
/// the assistant, loss only on assistant messages, at least one trained), lets the derived format write its
/// rows as JSON objects, and stores them in the file's <see cref="DatasetContainer"/>: JSON Lines (the
/// default), one JSON array, or Parquet (for formats that declare a Parquet layout). With
/// <see cref="DatasetWriterOptions.EvalFraction"/> each conversation goes, whole, to the train file or the
/// eval file (<see cref="DatasetSplit"/>). Everything is streamed to temporary files beside the targets;
/// <see cref="CompleteAsync"/> finishes them and the side files, then renames them all into place, so the
/// dataset appears at its path only when complete: disposing the writer without completing it leaves every
/// target as it was. Derive from it to add a format.
/// </summary>
public abstract class JsonlDatasetWriter : ITrainingDatasetWriter
{
    /// <summary>The rows the current thread renders into with <see cref="Render"/>, if any.</summary>
    [ThreadStatic]
    private static RenderedRows? t_rendering;

    private readonly AtomicFileSet _files = new();
    private readonly DatasetSink _train;
    private readonly DatasetSink? _eval;
    private readonly double _evalFraction;
    private readonly int _seed;
    private readonly Utf8JsonWriter _writer;
    private DatasetSink? _current;
    private bool _completed;
    private bool _faulted;

    /// <summary>Creates the writer and its temporary file, JSON Lines without an eval split (an existing dataset is replaced when the writer completes).</summary>
    /// <param name="path">The dataset file.</param>
    protected JsonlDatasetWriter(string path)
        : this(path, null)
    {
    }

    /// <summary>Creates the writer and its temporary files (an existing dataset is replaced when the writer completes).</summary>
    /// <param name="path">The dataset (train) file.</param>
    /// <param name="options">The container and the eval split; JSON Lines without a split when <see langword="null"/>. A format added this way has no Parquet layout.</param>
    /// <exception cref="ArgumentException">An option is out of range, Parquet is asked for, or the eval file is the dataset file.</exception>
    protected JsonlDatasetWriter(string path, DatasetWriterOptions? options)
        : this(path, options, DatasetContainer.JsonLines, null, null)
    {
    }

    /// <summary>Creates the writer of a built-in format, with its default container and its Parquet layout.</summary>
    /// <param name="path">The dataset (train) file.</param>
    /// <param name="options">The container and the eval split.</param>
    /// <param name="defaultContainer">The container when the options name none and the path does not end with <c>.parquet</c>.</param>
    /// <param name="parquetSchema">Makes the Parquet schema of a row (once per file); <see langword="null"/> when the format has none.</param>
    /// <param name="noParquet">Why the format is not written as Parquet, when <paramref name="parquetSchema"/> is <see langword="null"/>.</param>
    private protected JsonlDatasetWriter(string path, DatasetWriterOptions? options, DatasetContainer defaultContainer, Func<ParquetSchema>? parquetSchema, string? noParquet)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        options ??= new DatasetWriterOptions();
        options.Validate();
        OutputPath = Path.GetFullPath(path);
        Container = options.Container ?? (OutputPath.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase) ? DatasetContainer.Parquet : defaultContainer);
        if (Container == DatasetContainer.Parquet && parquetSchema is null)
        {
            throw new ArgumentException(noParquet ?? $"{GetType().Name} declares no Parquet layout; write JSON Lines or a JSON array.", nameof(options));
        }

        if (options.HasEvalSplit)
        {
            EvalOutputPath = Path.GetFullPath(options.EvalPath ?? DatasetSplit.EvalPath(OutputPath));
            if (string.Equals(EvalOutputPath, OutputPath, OperatingSystem.IsLinux() ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase))
            {
                throw new ArgumentException($"The eval file '{EvalOutputPath}' is the dataset file: give it its own path.", nameof(options));
            }
        }

        _evalFraction = options.EvalFraction;
        _seed = options.Seed;
        try
        {
            // The dataset appears at its path only when complete: a failed or cancelled conversion leaves the
            // targets as they were (absent or the previous version), never a partial dataset a trainer would use.
            _train = CreateSink(OutputPath, parquetSchema);
            _eval = EvalOutputPath is null ? null : CreateSink(EvalOutputPath, parquetSchema);
        }
        catch
        {
            _files.Dispose();
            throw;
        }

        _writer = new Utf8JsonWriter(Stream.Null, CanonicalJson.WriterOptions(indented: false));
    }

    /// <summary>The dataset (train) file's full path.</summary>
    protected string OutputPath { get; }

    /// <summary>The eval file's full path, or <see langword="null"/> without a train / eval split.</summary>
    protected string? EvalOutputPath { get; }

    /// <summary>How the rows are stored.</summary>
    protected DatasetContainer Container { get; }

    /// <inheritdoc />
    public abstract string FormatName { get; }

    /// <inheritdoc />
    public long RowsWritten => _train.Rows + (_eval?.Rows ?? 0);

    /// <inheritdoc />
    /// <remarks>After <see cref="CompleteAsync"/>, the length of the dataset file (plus the eval file's).</remarks>
    public long BytesWritten => _train.Bytes + (_eval?.Bytes ?? 0);

    /// <inheritdoc />
    public long EvalRowsWritten => _eval?.Rows ?? 0;

    /// <inheritdoc />
    public long EvalConversationsWritten => _eval?.Conversations ?? 0;

    /// <inheritdoc />
    public async ValueTask WriteAsync(TrainingConversation conversation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        ThrowIfUnusable();
        Validate(conversation);
        var sink = _eval is not null && DatasetSplit.IsEval(conversation.Id, _evalFraction, _seed) ? _eval : _train;
        sink.BeginConversation();
        _current = sink;
        try
        {
            WriteRows(conversation);
        }
        catch
        {
            // Nothing of a failed conversation is written.
            sink.AbortConversation();
            throw;
        }
        finally
        {
            _current = null;
        }

        await EndConversationAsync(sink, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Whether <see cref="Render"/> may run on several threads at once for this writer: its format's
    /// <see cref="Validate"/> and <see cref="WriteRows"/> read nothing the writer changes, and update its state
    /// only through <see cref="OnWritten"/> (the built-in formats). A format derived outside this library is
    /// written with <see cref="WriteAsync"/> instead.
    /// </summary>
    internal bool RendersConcurrently => CanRenderConcurrently;

    /// <summary>Whether the format's <see cref="Validate"/> and <see cref="WriteRows"/> are thread-safe as <see cref="RendersConcurrently"/> says. Default <see langword="false"/>.</summary>
    private protected virtual bool CanRenderConcurrently => false;

    /// <summary>
    /// The first half of <see cref="WriteAsync"/>, off the writer's thread: checks the conversation, picks its
    /// file, and serializes its rows into <paramref name="rows"/>, changing nothing in the writer. What it
    /// throws is kept in <paramref name="rows"/>, to be thrown by <see cref="CommitRenderedAsync"/>. Thread-safe
    /// when <see cref="RendersConcurrently"/> (each thread with its own <paramref name="rows"/>).
    /// </summary>
    /// <param name="conversation">The conversation.</param>
    /// <param name="rows">The batch's rows.</param>
    internal void Render(TrainingConversation conversation, RenderedRows rows)
    {
        rows.Begin(_eval is not null && DatasetSplit.IsEval(conversation.Id, _evalFraction, _seed));
        try
        {
            Validate(conversation);
            rows.Owner = this;
            t_rendering = rows;
            WriteRows(conversation);
            rows.End();
        }
        catch (Exception exception)
        {
            rows.Fail(ExceptionDispatchInfo.Capture(exception));
        }
        finally
        {
            t_rendering = null;
            rows.Owner = null;
        }
    }

    /// <summary>
    /// The second half of <see cref="WriteAsync"/>, on the writer's thread and in the dataset's order: writes the
    /// <paramref name="index"/>th conversation of <paramref name="rows"/> as <see cref="WriteAsync"/> would have,
    /// byte for byte, or throws what rendering it threw.
    /// </summary>
    /// <param name="rows">The batch's rows.</param>
    /// <param name="index">The conversation's index in the batch.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the rows are buffered.</returns>
    internal async ValueTask CommitRenderedAsync(RenderedRows rows, int index, CancellationToken cancellationToken)
    {
        ThrowIfUnusable();
        var entry = rows[index];
        entry.Failure?.Throw();
        var sink = entry.Eval ? _eval! : _train;
        sink.BeginConversation();
        for (var row = entry.FirstRow; row < entry.FirstRow + entry.RowCount; row++)
        {
            sink.BeginRow().Write(rows.Row(row));
            sink.EndRow();
        }

        entry.Committed?.Invoke();
        await EndConversationAsync(sink, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask CompleteAsync(CancellationToken cancellationToken = default)
    {
        if (_completed)
        {
            return;
        }

        ThrowIfUnusable();
        try
        {
            await _train.FinishAsync(cancellationToken).ConfigureAwait(false);
            if (_eval is not null)
            {
                await _eval.FinishAsync(cancellationToken).ConfigureAwait(false);
            }

            await WriteSideFilesAsync(cancellationToken).ConfigureAwait(false);
            await _files.CommitAllAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // The files were finished (a JSON array closed, a Parquet footer written): they cannot take more rows.
            _faulted = true;
            throw;
        }

        _completed = true;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _writer.DisposeAsync().ConfigureAwait(false);
        await _files.DisposeAsync().ConfigureAwait(false);
        GC.SuppressFinalize(this);
    }

    /// <summary>Writes a conversation's rows, each with <see cref="WriteRow"/>.</summary>
    /// <param name="conversation">The validated conversation.</param>
    protected abstract void WriteRows(TrainingConversation conversation);

    /// <summary>Writes one row: a JSON object produced by <paramref name="write"/>, into the train or the eval file.</summary>
    /// <param name="write">Writes the row's object.</param>
    /// <exception cref="InvalidOperationException">Called outside <see cref="WriteRows"/>.</exception>
    protected void WriteRow(Action<Utf8JsonWriter> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        if (t_rendering is { } rendering && ReferenceEquals(rendering.Owner, this))
        {
            rendering.WriteRow(write);
            return;
        }

        var sink = _current ?? throw new InvalidOperationException("WriteRow is called from WriteRows only.");
        _writer.Reset(sink.BeginRow());
        write(_writer);
        _writer.Flush();
        sink.EndRow();
    }

    /// <summary>
    /// Runs <paramref name="update"/>, a change of the writer's state that the conversation being written
    /// makes (a running maximum, a count), once the conversation is written: at once from <see cref="WriteAsync"/>,
    /// when its turn comes for a conversation rendered off the writer's thread.
    /// </summary>
    /// <param name="update">The change.</param>
    private protected void OnWritten(Action update)
    {
        if (t_rendering is { } rendering && ReferenceEquals(rendering.Owner, this))
        {
            rendering.Defer(update);
        }
        else
        {
            update();
        }
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

    /// <summary>
    /// Writes files the trainer needs beside the dataset (configuration snippets), with
    /// <see cref="WriteSideFileAsync"/> so that they are renamed into place together with the dataset. Default: none.
    /// </summary>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task.</returns>
    protected virtual ValueTask WriteSideFilesAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>
    /// Writes a side file's content (UTF-8) to a temporary file beside <paramref name="path"/>; it is renamed into
    /// place with the dataset when <see cref="CompleteAsync"/> succeeds, and never appears otherwise.
    /// </summary>
    /// <param name="path">The side file.</param>
    /// <param name="text">Its content.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the content is written.</returns>
    protected Task WriteSideFileAsync(string path, string text, CancellationToken cancellationToken) => _files.WriteAllTextAsync(path, text, cancellationToken);

    /// <summary>An exception naming the conversation, the format and the rule.</summary>
    /// <param name="conversation">The conversation.</param>
    /// <param name="rule">What is wrong.</param>
    /// <returns>The exception.</returns>
    protected DatasetFormatException Broken(TrainingConversation conversation, string rule)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        return new DatasetFormatException($"Conversation {conversation.Id} cannot be written as {FormatName}: {rule}.");
    }

    private DatasetSink CreateSink(string path, Func<ParquetSchema>? parquetSchema)
    {
        var directory = Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        var file = _files.Create(path);
        return Container switch
        {
            DatasetContainer.Parquet => new ParquetDatasetSink(file, parquetSchema!(), () => FormatName),
            DatasetContainer.JsonArray => new JsonDatasetSink(file, array: true),
            _ => new JsonDatasetSink(file, array: false),
        };
    }

    private void ThrowIfUnusable()
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        if (_faulted)
        {
            throw new InvalidOperationException("A write of this dataset failed; the writer cannot complete it. Dispose it (the targets are left as they were) and start again.");
        }
    }

    /// <summary>Ends the conversation's rows and flushes a full buffer; a failure marks the writer faulted.</summary>
    private async Task EndConversationAsync(DatasetSink sink, CancellationToken cancellationToken)
    {
        try
        {
            sink.EndConversation();
            await sink.FlushIfFullAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            _faulted = true;
            throw;
        }
    }
}
