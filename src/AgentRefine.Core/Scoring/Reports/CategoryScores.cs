namespace AgentRefine.Scoring;

/// <summary>A category's scores: the unweighted means of its tasks' means.</summary>
/// <param name="Success">Mean success rate.</param>
/// <param name="Progress">Mean progress rate.</param>
/// <param name="Grounding">Mean grounding accuracy.</param>
public sealed record CategoryScores(double Success, double Progress, double Grounding);
