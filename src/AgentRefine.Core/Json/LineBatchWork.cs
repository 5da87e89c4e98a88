namespace AgentRefine.Json;

/// <summary>
/// What <see cref="OrderedLinePipeline"/> does with the batches of a JSON Lines stream: <see cref="Process"/>
/// turns a batch's lines into results (on a worker thread, many batches at once), and
/// <see cref="CommitAsync"/> consumes the results (on one thread, strictly in the stream's order).
/// </summary>
/// <typeparam name="TResults">A batch's results; one instance per batch slot, reused after <see cref="Reset"/>.</typeparam>
internal abstract class LineBatchWork<TResults>
    where TResults : class
{
    /// <summary>Makes the results of one batch slot.</summary>
    /// <returns>Empty results.</returns>
    public abstract TResults CreateResults();

    /// <summary>Empties results that were committed, for the slot's next batch.</summary>
    /// <param name="results">The results.</param>
    public abstract void Reset(TResults results);

    /// <summary>
    /// Turns the lines of <paramref name="batch"/> into <paramref name="results"/>, in order; thread-safe (batches
    /// are processed concurrently). When it throws, the results hold what was done for the lines before the
    /// failing one: those are committed, then the exception is thrown where the sequential run would have thrown it.
    /// </summary>
    /// <param name="batch">The lines.</param>
    /// <param name="results">The results to fill.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    public abstract void Process(LineBatch batch, TResults results, CancellationToken cancellationToken);

    /// <summary>Consumes a batch's results; called for one batch at a time, in the stream's order.</summary>
    /// <param name="batch">The lines.</param>
    /// <param name="results">Their results.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>A task.</returns>
    public abstract ValueTask CommitAsync(LineBatch batch, TResults results, CancellationToken cancellationToken);
}
