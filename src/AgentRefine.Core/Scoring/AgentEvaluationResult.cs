namespace AgentRefine.Scoring;

/// <summary>The metrics an evaluator computed, by name.</summary>
/// <param name="Metrics">The metrics.</param>
public sealed record AgentEvaluationResult(IReadOnlyDictionary<string, AgentEvaluationMetric> Metrics)
{
    /// <summary>The metric of a name and type.</summary>
    /// <typeparam name="TMetric">The metric type.</typeparam>
    /// <param name="name">The name.</param>
    /// <returns>The metric.</returns>
    /// <exception cref="KeyNotFoundException">No metric of that name and type.</exception>
    public TMetric Get<TMetric>(string name)
        where TMetric : AgentEvaluationMetric =>
        Metrics.TryGetValue(name, out var metric) && metric is TMetric typed ? typed : throw new KeyNotFoundException($"No {typeof(TMetric).Name} named '{name}'.");
}
