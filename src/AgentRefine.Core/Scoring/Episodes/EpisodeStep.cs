namespace AgentRefine.Scoring;

/// <summary>One step of an agent episode.</summary>
/// <param name="Action">The action the agent took.</param>
/// <param name="Observation">What the environment answered to it (subgoals are matched against this).</param>
/// <param name="Valid">Whether the action was admissible (in the valid-action list, or a help command).</param>
/// <param name="Done">The environment's done flag after this step.</param>
/// <param name="Facts">The facts true after this step (PDDL only); <see langword="null"/> elsewhere.</param>
public sealed record EpisodeStep(string Action, string Observation, bool Valid, bool Done, IReadOnlyList<string>? Facts = null);
