namespace AgentRefine.Scoring;

/// <summary>
/// Jericho: a step whose action contains both <c>check</c> and <c>action</c> updates nothing;
/// otherwise the first remaining subgoal contained in the observation, both normalized to
/// <c>[A-Za-z0-9]</c> and white space, awards a point and is removed (at most one per step); the
/// progress rate is <c>max(PR, points / K)</c>; success is a rate of exactly 1; the episode ends at
/// success or when the game ends (a death is a failure).
/// </summary>
public sealed class JerichoScorer : TaskScorer<RemainingSubgoals>
{
    /// <inheritdoc />
    public override string Task => "jericho";

    /// <inheritdoc />
    protected override RemainingSubgoals Begin(Episode episode)
    {
        ArgumentNullException.ThrowIfNull(episode);
        return new RemainingSubgoals(episode.Subgoals, new NormalizedTextSubgoalMatcher());
    }

    /// <inheritdoc />
    protected override (double Progress, bool Done, bool Success) ApplyStep(RemainingSubgoals state, int index, EpisodeStep episodeStep, double progress)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(episodeStep);
        if (!(episodeStep.Action.Contains("check", StringComparison.Ordinal) && episodeStep.Action.Contains("action", StringComparison.Ordinal)))
        {
            state.Award(episodeStep, episodeStep.Observation);
        }

        var success = state.Total > 0 && state.Points == state.Total;
        return (Math.Max(progress, state.Rate), success || episodeStep.Done, success);
    }
}
