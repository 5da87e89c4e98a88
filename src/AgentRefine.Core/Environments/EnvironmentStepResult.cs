namespace AgentRefine.Environments;

/// <summary>What an environment answered to one action.</summary>
/// <param name="Observation">The observation the agent sees next.</param>
/// <param name="Done">Whether the episode is over.</param>
public sealed record EnvironmentStepResult(string Observation, bool Done)
{
    /// <summary>Whether the action was admissible (counts toward grounding accuracy). Default <see langword="true"/>.</summary>
    public bool Valid { get; init; } = true;

    /// <summary>The environment's own progress or score after the step, in [0, 1], or <see langword="null"/> when it reports none.</summary>
    public double? Progress { get; init; }

    /// <summary>Whether the task is accomplished by the environment's rule, or <see langword="null"/> when it has none; <see langword="true"/> ends the episode.</summary>
    public bool? Success { get; init; }
}
