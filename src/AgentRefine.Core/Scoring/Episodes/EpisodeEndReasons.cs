namespace AgentRefine.Scoring;

/// <summary>Why an episode ended, as the agent runner writes it in <see cref="Episode.EndReason"/> (<c>end</c>).</summary>
public static class EpisodeEndReasons
{
    /// <summary>The environment reported done, or success.</summary>
    public const string Done = "done";

    /// <summary>The step limit was reached.</summary>
    public const string MaxSteps = "max-steps";

    /// <summary>A model call failed after its retries; the steps before it are kept, the failed step counts (AgentBoard's rule) and <see cref="Episode.Error"/> says why.</summary>
    public const string ModelFailed = "model-failed";

    /// <summary>The environment failed during the episode (a server error, a Dungeon Master that gave no valid reply); <see cref="Episode.Error"/> says why.</summary>
    public const string EnvironmentFailed = "environment-failed";

    /// <summary>Whether an end reason is one of the failures (<see cref="ModelFailed"/>, <see cref="EnvironmentFailed"/>).</summary>
    /// <param name="endReason">The end reason.</param>
    /// <returns><see langword="true"/> for a failure.</returns>
    public static bool IsFailure(string? endReason) => endReason is ModelFailed or EnvironmentFailed;
}
