using AgentRefine.Environments;
using AgentRefine.Scoring;

namespace AgentRefine.Agents;

/// <summary>
/// Runs many episodes of one environment with an <see cref="AgentRunner"/>, <see cref="AgentRunnerOptions.MaxConcurrency"/>
/// at a time, and appends each finished episode to a JSON Lines file in the scoring contract (what
/// <see cref="EpisodeReader"/> and <c>agentrefine score --episodes</c> read). Resumable: episodes whose
/// (run, task, id) is already in the file are skipped, and a torn last line left by a killed run is
/// removed. An episode that could not start is not written (a rerun retries it); an episode that ended
/// by a model or environment failure is written with its reason (<see cref="Episode.EndReason"/>,
/// <see cref="Episode.Error"/>) and, like every written episode, skipped by a rerun. A failure that
/// would fail every episode (an unusable model, an unreachable environment) stops the run.
/// </summary>
public sealed class EvaluationRun
{
    private const int MaxProblems = 100;
    private readonly AgentRunner _runner;

    /// <summary>Creates the run.</summary>
    /// <param name="runner">The agent runner (its options give the run name and the concurrency).</param>
    public EvaluationRun(AgentRunner runner)
    {
        ArgumentNullException.ThrowIfNull(runner);
        _runner = runner;
    }

    /// <summary>Runs the episodes.</summary>
    /// <param name="environment">The environment.</param>
    /// <param name="taskIndices">The task instances (duplicates are run once).</param>
    /// <param name="outputPath">The episodes file: created, or resumed when it exists.</param>
    /// <param name="progress">Receives the counts after each episode; optional.</param>
    /// <param name="cancellationToken">Stops the run: episodes in flight are abandoned (not written), everything written stays.</param>
    /// <returns>What the run did; <see cref="EvaluationSummary.Interrupted"/> when cancelled.</returns>
    /// <exception cref="InvalidDataException">The output file holds a line that is not an episode (it is not an episodes file).</exception>
    /// <exception cref="IOException">The output file cannot be opened or written.</exception>
    public async Task<EvaluationSummary> RunAsync(IAgentEnvironment environment, IEnumerable<long> taskIndices, string outputPath, IProgress<EvaluationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(taskIndices);
        ArgumentException.ThrowIfNullOrWhiteSpace(outputPath);
        var options = _runner.Options;
        var ids = taskIndices.Distinct().ToList();
        var log = await EpisodeLog.OpenAsync(outputPath, cancellationToken).ConfigureAwait(false);
        await using (log.ConfigureAwait(false))
        {
            var pending = ids.Where(id => !log.Contains(options.Run, environment.Task, id)).ToList();
            var counts = new Counter(ids.Count, ids.Count - pending.Count);
            var problems = new List<KeyValuePair<long, string>>();
            string? stoppedBy = null;
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            progress?.Report(counts.Snapshot());
            try
            {
                await Parallel.ForEachAsync(pending, new ParallelOptions { MaxDegreeOfParallelism = options.MaxConcurrency, CancellationToken = stop.Token }, async (id, token) =>
                {
                    var result = await _runner.RunAsync(environment, id, token).ConfigureAwait(false);
                    if (result.Episode is { } episode)
                    {
                        await log.AppendAsync(episode).ConfigureAwait(false);
                    }

                    lock (problems)
                    {
                        if (result.StopsRun)
                        {
                            stoppedBy ??= result.Failure;
                            stop.Cancel();
                            return;
                        }

                        var reason = result.Failure ?? (EpisodeEndReasons.IsFailure(result.Episode?.EndReason) ? result.Episode!.Error ?? result.Episode.EndReason : null);
                        if (reason is not null)
                        {
                            problems.Add(new(id, reason));
                        }

                        counts.Add(result);
                        progress?.Report(counts.Snapshot());
                    }
                }).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // Ctrl+C, or a failure that stops the run: what was written stays; the rest runs on the next attempt.
            }

            return new EvaluationSummary
            {
                Counts = counts.Snapshot(),
                Problems = [.. problems.OrderBy(p => p.Key).Take(MaxProblems)],
                Interrupted = cancellationToken.IsCancellationRequested,
                StoppedBy = stoppedBy,
                TornLinesRemoved = log.TornLinesRemoved,
            };
        }
    }

    /// <summary>The run's counts, updated under the caller's lock.</summary>
    private sealed class Counter(int total, int skipped)
    {
        private int _finished;
        private int _failed;
        private int _notRun;
        private int _succeeded;

        public void Add(AgentEpisodeResult result)
        {
            if (result.Episode is not { } episode)
            {
                _notRun++;
                return;
            }

            _finished++;
            _failed += EpisodeEndReasons.IsFailure(episode.EndReason) ? 1 : 0;
            _succeeded += episode.Success == true ? 1 : 0;
        }

        public EvaluationProgress Snapshot() => new(total, skipped, _finished, _failed, _notRun, _succeeded);
    }
}
