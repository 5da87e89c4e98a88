namespace AgentRefine.Environments;

/// <summary>
/// A kind of world an agent is evaluated in (an AgentGym server's environment family, a set of
/// synthesized scripts played by a Dungeon Master): it starts one episode per task index. Each started
/// episode holds its own server-side resources (an environment id, a DM history) until it is disposed,
/// so concurrent episodes never share state. Implementations are safe to call from several threads.
/// </summary>
public interface IAgentEnvironment
{
    /// <summary>The task name written into the episodes (<c>agentgym/babyai</c>, <c>script</c>, ...).</summary>
    string Task { get; }

    /// <summary>Starts an episode on one task instance.</summary>
    /// <param name="taskIndex">The task instance (an AgentGym <c>data_idx</c>, the index of a script).</param>
    /// <param name="cancellationToken">Cancels the start; what was allocated is released.</param>
    /// <returns>The running episode, with its initial observation; the caller disposes it (which releases the server-side resources).</returns>
    /// <exception cref="AgentEnvironmentException">The environment could not start the episode; the message says why.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    ValueTask<IEnvironmentEpisode> StartAsync(long taskIndex, CancellationToken cancellationToken = default);
}
