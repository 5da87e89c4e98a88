using AgentRefine.Scripts;

namespace AgentRefine.Trajectories;

/// <summary>
/// A request for a game on a script: from scratch, or (with a non-empty <see cref="Prefix"/>) the
/// continuation of a verified prefix.
/// </summary>
/// <param name="Script">The verified script.</param>
/// <param name="Attempt">The generation's number within the persona's budget (1-based).</param>
public sealed record TrajectorySimulationRequest(Script Script, int Attempt)
{
    /// <summary>The id of the record being synthesized, if any (sent as <c>agentrefine.record</c>, part of the cache key).</summary>
    public string? RecordId { get; init; }

    /// <summary>The verified turns to continue from; a new game when <see langword="null"/> or empty.</summary>
    public Trajectory? Prefix { get; init; }

    /// <summary>The verifier's feedback on the previous game (why it is continued or regenerated), if any; sent to the model.</summary>
    public string? Feedback { get; init; }

    /// <summary>Whether this request continues a prefix.</summary>
    public bool IsContinuation => Prefix is { Count: > 0 };
}
