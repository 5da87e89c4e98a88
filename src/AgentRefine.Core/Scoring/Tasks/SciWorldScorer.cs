namespace AgentRefine.Scoring;

/// <summary>
/// ScienceWorld: as Alfworld, but a step whose action is exactly <c>check valid actions</c> updates
/// nothing; the progress rate is <c>flags / K</c>; success is all K flags set (the environment's own
/// score is ignored); the episode ends at success or when the environment ends it.
/// </summary>
public sealed class SciWorldScorer : TaskScorer<RegexSubgoalFlags>
{
    /// <inheritdoc />
    public override string Task => "scienceworld";

    /// <inheritdoc />
    protected override RegexSubgoalFlags Begin(Episode episode)
    {
        ArgumentNullException.ThrowIfNull(episode);
        return new RegexSubgoalFlags(episode.Subgoals);
    }

    /// <inheritdoc />
    protected override (double Progress, bool Done, bool Success) ApplyStep(RegexSubgoalFlags state, int index, EpisodeStep episodeStep, double progress)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(episodeStep);
        if (!string.Equals(episodeStep.Action, "check valid actions", StringComparison.Ordinal))
        {
            state.Update(episodeStep);
        }

        var success = state.Total > 0 && state.Reached == state.Total;
        return (state.Total == 0 ? 0 : (double)state.Reached / state.Total, success || episodeStep.Done, success);
    }

    /// <inheritdoc />
    protected override IReadOnlyList<string> Diagnostics(RegexSubgoalFlags state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state.Problems;
    }
}
