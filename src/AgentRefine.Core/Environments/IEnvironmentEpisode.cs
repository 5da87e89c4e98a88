namespace AgentRefine.Environments;

/// <summary>
/// One running episode of an <see cref="IAgentEnvironment"/>: the start it gave, and one call per
/// action. Disposing it releases what the environment holds for it (an AgentGym <c>/close</c>), and
/// never throws.
/// </summary>
public interface IEnvironmentEpisode : IAsyncDisposable
{
    /// <summary>What the environment gave at the start: goal, first observation, instruction and action help.</summary>
    EnvironmentStart Start { get; }

    /// <summary>Takes one action.</summary>
    /// <param name="action">The action, as parsed from the agent's reply (the environment applies its own clean-up).</param>
    /// <param name="cancellationToken">Cancels the step.</param>
    /// <returns>What the environment answered.</returns>
    /// <exception cref="AgentEnvironmentException">The environment failed; the episode cannot go on; the message says why.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    ValueTask<EnvironmentStepResult> StepAsync(string action, CancellationToken cancellationToken = default);
}
