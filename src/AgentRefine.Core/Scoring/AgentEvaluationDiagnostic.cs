namespace AgentRefine.Scoring;

/// <summary>A problem met while evaluating.</summary>
/// <param name="Severity">How serious it is.</param>
/// <param name="Message">What happened.</param>
public sealed record AgentEvaluationDiagnostic(AgentDiagnosticSeverity Severity, string Message);
