namespace AgentRefine.Trajectories;

/// <summary>Plays a whole game on a script (Dungeon Master and Player) in one LLM call, or continues a verified prefix.</summary>
public interface ITrajectorySimulator
{
    /// <summary>The version of the prompt, recorded in each record's provenance.</summary>
    string PromptVersion { get; }

    /// <summary>Simulates a game, or the rest of one.</summary>
    /// <param name="request">The script, attempt, and prefix and verdict for a continuation.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The new turns as read; a broken reply is returned as such, not thrown.</returns>
    Task<TrajectorySimulation> SimulateAsync(TrajectorySimulationRequest request, CancellationToken cancellationToken = default);
}
