namespace AgentRefine.Scoring;

/// <summary>How serious an evaluation diagnostic is.</summary>
public enum AgentDiagnosticSeverity
{
    /// <summary>For information.</summary>
    Informational,

    /// <summary>The value was computed, but something about the input is suspect.</summary>
    Warning,

    /// <summary>The value could not be computed.</summary>
    Error,
}
