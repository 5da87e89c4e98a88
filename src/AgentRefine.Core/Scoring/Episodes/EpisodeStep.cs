namespace AgentRefine.Scoring;

/// <summary>One step of an agent episode.</summary>
/// <param name="Action">The action the agent took.</param>
/// <param name="Observation">What the environment answered to it (subgoals are matched against this).</param>
/// <param name="Valid">Whether the action was admissible (in the valid-action list, or a help command).</param>
/// <param name="Done">The environment's done flag after this step.</param>
/// <param name="Facts">The facts true after this step (PDDL only); <see langword="null"/> elsewhere.</param>
public sealed record EpisodeStep(string Action, string Observation, bool Valid, bool Done, IReadOnlyList<string>? Facts = null)
{
    /// <summary>
    /// The environment's own progress after this step, in [0, 1], when it reports one (an AgentGym
    /// server's score, a script environment's share of completion conditions met); <see langword="null"/>
    /// otherwise. Written as <c>progress</c>. It is not AgentBoard's progress rate: a task with an
    /// AgentBoard rule ignores it, and an episode of any other task is scored from it.
    /// </summary>
    public double? Progress { get; init; }

    /// <summary>The agent's raw reply that produced <see cref="Action"/> (for reading a run back), when the runner kept it; written as <c>reply</c>.</summary>
    public string? Reply { get; init; }
}
