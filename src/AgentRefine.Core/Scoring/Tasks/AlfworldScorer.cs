namespace AgentRefine.Scoring;

/// <summary>
/// Alfworld: every regex subgoal is searched in each step's observation (flags never reset, any
/// number per step); the progress rate is <c>flags / (K + 1)</c>, or 1.0 once the environment reports
/// done; success is done.
/// </summary>
public sealed class AlfworldScorer : TaskScorer<RegexSubgoalFlags>
{
    /// <inheritdoc />
    public override string Task => "alfworld";

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
        state.Update(episodeStep);
        return episodeStep.Done
            ? (1.0, true, true)
            : ((double)state.Reached / (state.Total + 1), false, false);
    }

    /// <inheritdoc />
    protected override IReadOnlyList<string> Diagnostics(RegexSubgoalFlags state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state.Problems;
    }
}
