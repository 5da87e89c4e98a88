namespace AgentRefine.Scoring;

/// <summary>A yes/no metric; <see langword="null"/> when it could not be computed.</summary>
/// <param name="Name">The metric's name.</param>
/// <param name="Value">The value.</param>
/// <param name="Reason">Why it has its value.</param>
/// <param name="Diagnostics">Problems met while computing it.</param>
public sealed record AgentBooleanMetric(string Name, bool? Value, string? Reason, IReadOnlyList<AgentEvaluationDiagnostic> Diagnostics)
    : AgentEvaluationMetric(Name, Reason, Diagnostics);
