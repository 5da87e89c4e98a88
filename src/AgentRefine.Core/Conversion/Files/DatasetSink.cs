using System.Buffers;
using AgentRefine.IO;

namespace AgentRefine.Conversion;

/// <summary>
/// One dataset file being written (the train file or the eval file) in its container. A conversation's rows
/// are written between <see cref="BeginConversation"/> and <see cref="EndConversation"/>, each row as a JSON
/// object into the buffer <see cref="BeginRow"/> returns; <see cref="AbortConversation"/> drops them all, so
/// nothing of a failed conversation reaches the file. The content goes to an <see cref="AtomicFile"/> of the
/// writer's <see cref="AtomicFileSet"/>, which renames it into place when the whole dataset is complete.
/// </summary>
internal abstract class DatasetSink(AtomicFile file)
{
    /// <summary>The file (its temporary file until the set is committed).</summary>
    protected AtomicFile File { get; } = file;

    /// <summary>The target path.</summary>
    public string Path => File.Path;

    /// <summary>Rows of completed conversations.</summary>
    public long Rows { get; protected set; }

    /// <summary>Completed conversations.</summary>
    public long Conversations { get; private set; }

    /// <summary>Bytes written to the file so far (its length once <see cref="FinishAsync"/> has run).</summary>
    public long Bytes { get; protected set; }

    /// <summary>Starts a conversation's rows.</summary>
    public abstract void BeginConversation();

    /// <summary>Starts a row: returns the buffer its JSON object goes into.</summary>
    /// <returns>The buffer.</returns>
    public abstract IBufferWriter<byte> BeginRow();

    /// <summary>Ends the row whose JSON object was written to the buffer <see cref="BeginRow"/> returned.</summary>
    public abstract void EndRow();

    /// <summary>Keeps the conversation's rows.</summary>
    public virtual void EndConversation() => Conversations++;

    /// <summary>Drops every row of the conversation begun last.</summary>
    public abstract void AbortConversation();

    /// <summary>Writes buffered rows to the file when enough have gathered.</summary>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task.</returns>
    public abstract ValueTask FlushIfFullAsync(CancellationToken cancellationToken);

    /// <summary>Writes every buffered row and the container's end (a JSON array's bracket, the Parquet footer).</summary>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task.</returns>
    public abstract ValueTask FinishAsync(CancellationToken cancellationToken);
}
