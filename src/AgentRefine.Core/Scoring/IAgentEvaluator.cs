namespace AgentRefine.Scoring;

/// <summary>Evaluates an agent episode into named metrics. Implementations never throw for bad input: they report it in diagnostics.</summary>
public interface IAgentEvaluator
{
    /// <summary>The names of the metrics this evaluator computes.</summary>
    IReadOnlyCollection<string> MetricNames { get; }

    /// <summary>Evaluates an episode.</summary>
    /// <param name="episode">The episode (a <see langword="null"/> or malformed episode yields metrics without values and an error diagnostic).</param>
    /// <param name="cancellationToken">Cancels the evaluation.</param>
    /// <returns>The metrics.</returns>
    ValueTask<AgentEvaluationResult> EvaluateAsync(Episode? episode, CancellationToken cancellationToken = default);
}
