using AgentRefine.Scoring;

namespace AgentRefine.Agents;

/// <summary>What running one episode gave: the episode, or why it could not run.</summary>
/// <param name="TaskIndex">The task instance.</param>
/// <param name="Episode">The episode (ended normally or by a failure, see <see cref="Episode.EndReason"/>); <see langword="null"/> when it could not run.</param>
/// <param name="Failure">Why the episode could not run (the environment did not start it, the model or server is unusable), or <see langword="null"/>.</param>
public sealed record AgentEpisodeResult(long TaskIndex, Episode? Episode, string? Failure)
{
    /// <summary>
    /// Whether the failure stops a whole run: the model refuses the key or model (401, 403, 404) or
    /// cannot be reached before any call succeeded, or the environment cannot be reached at all. Other
    /// episodes would fail the same way, so an evaluation stops instead.
    /// </summary>
    public bool StopsRun { get; init; }
}
