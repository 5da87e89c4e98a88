namespace AgentRefine.Scoring;

/// <summary>Scores of one or more runs: aggregates per run and every episode's own score.</summary>
/// <param name="Runs">Scores per run, by run name (in the order runs first appear).</param>
/// <param name="Episodes">Every episode's score, in input order (unscored ones included, with their diagnostics).</param>
public sealed record ScoringReport(IReadOnlyDictionary<string, RunScores> Runs, IReadOnlyList<EpisodeScore> Episodes);
