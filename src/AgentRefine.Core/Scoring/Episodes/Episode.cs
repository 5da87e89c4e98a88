namespace AgentRefine.Scoring;

/// <summary>An agent's episode on one task instance, as AgentBoard scores it.</summary>
/// <param name="Run">The run (usually the model) the episode belongs to.</param>
/// <param name="Task">The task: <c>alfworld</c>, <c>scienceworld</c>, <c>babyai</c>, <c>jericho</c>, <c>pddl</c>, or a host's own.</param>
/// <param name="Id">The task instance's id.</param>
/// <param name="Difficulty"><c>easy</c>, <c>hard</c>, or <see langword="null"/>.</param>
/// <param name="Goal">The goal given to the agent.</param>
/// <param name="Subgoals">The annotated subgoals (regexes, wildcard patterns, texts or goal facts, by task).</param>
/// <param name="Steps">The steps, in order.</param>
public sealed record Episode(string Run, string Task, long Id, string? Difficulty, string Goal, IReadOnlyList<string> Subgoals, IReadOnlyList<EpisodeStep> Steps)
{
    /// <summary>The run name used when an episode names none.</summary>
    public const string DefaultRun = "default";
}
