namespace AgentRefine.Scoring;

/// <summary>A named evaluation metric with an explanation and diagnostics (shaped after Microsoft.Extensions.AI.Evaluation's metrics).</summary>
/// <param name="Name">The metric's name.</param>
/// <param name="Reason">Why it has its value, in words.</param>
/// <param name="Diagnostics">Problems met while computing it.</param>
public abstract record AgentEvaluationMetric(string Name, string? Reason, IReadOnlyList<AgentEvaluationDiagnostic> Diagnostics)
{
    /// <summary>Whether an error diagnostic says the value could not be computed.</summary>
    public bool HasError => Diagnostics.Any(d => d.Severity == AgentDiagnosticSeverity.Error);
}
