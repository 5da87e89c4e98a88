namespace AgentRefine.Synthesis;

/// <summary>Where a run's records go. Appends are whole and durable before they return; ids already stored are skipped on resume.</summary>
public interface ISynthesisRecordStore
{
    /// <summary>Whether a record with this id is already stored (accepted or rejected).</summary>
    /// <param name="id">The record id.</param>
    /// <returns><see langword="true"/> when stored.</returns>
    bool Contains(string id);

    /// <summary>Appends a record.</summary>
    /// <param name="record">The record.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the record is written and flushed.</returns>
    ValueTask AppendAsync(SynthesisRecord record, CancellationToken cancellationToken = default);
}
