namespace AgentRefine.Conversion;

/// <summary>Writes conversations in one trainer's dataset format, streaming.</summary>
public interface ITrainingDatasetWriter : IAsyncDisposable
{
    /// <summary>The format's name (<c>agentgym</c>, <c>ms-swift</c>, <c>openai</c>, <c>axolotl</c>, <c>llamafactory</c>, <c>llamafactory-v1</c>, or a host's own).</summary>
    string FormatName { get; }

    /// <summary>Rows written so far (a conversation may become several rows).</summary>
    long RowsWritten { get; }

    /// <summary>Bytes of dataset rows written so far.</summary>
    long BytesWritten { get; }

    /// <summary>Of <see cref="RowsWritten"/>, the rows written to the eval file (0 without a train / eval split).</summary>
    long EvalRowsWritten => 0;

    /// <summary>Conversations written to the eval file (0 without a train / eval split).</summary>
    long EvalConversationsWritten => 0;

    /// <summary>Writes one conversation, after checking it against the trainer's rules.</summary>
    /// <param name="conversation">The conversation.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the rows are buffered.</returns>
    /// <exception cref="DatasetFormatException">The conversation breaks a rule of the format; nothing of it is written.</exception>
    ValueTask WriteAsync(TrainingConversation conversation, CancellationToken cancellationToken = default);

    /// <summary>Flushes the rows and writes the files the trainer needs beside them (configuration snippets).</summary>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when everything is on disk.</returns>
    ValueTask CompleteAsync(CancellationToken cancellationToken = default);
}
