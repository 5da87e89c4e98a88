namespace AgentRefine.Scoring;

/// <summary>One run's scores: per task, per complete category, and the long-range curve over all its episodes.</summary>
/// <param name="Tasks">Scores per task, by task name (ordinal order).</param>
/// <param name="Categories">Scores per category whose every task was run.</param>
/// <param name="LongRange">The mean progress rate reached by each step 0..29 over every scored episode of the run.</param>
public sealed record RunScores(IReadOnlyDictionary<string, TaskScores> Tasks, IReadOnlyDictionary<string, CategoryScores> Categories, IReadOnlyList<double> LongRange);
