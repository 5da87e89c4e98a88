namespace AgentRefine.Scoring;

/// <summary>An entry of <c>score_change_record</c>: after step <paramref name="Step"/> (0-based) the progress rate rose to <paramref name="Progress"/>.</summary>
/// <param name="Step">The 0-based step index.</param>
/// <param name="Progress">The new progress rate.</param>
public sealed record ProgressChange(int Step, double Progress);
