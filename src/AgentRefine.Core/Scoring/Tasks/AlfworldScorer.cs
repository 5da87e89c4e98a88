namespace AgentRefine.Scoring;

/// <summary>
/// Alfworld: every regex subgoal is searched in each step's observation (flags never reset, any
/// number per step); the progress rate is <c>flags / (K + 1)</c>, or 1.0 once the environment reports
/// done; success is done.
/// </summary>
public sealed class AlfworldScorer : TaskScorer
{
    /// <inheritdoc />
    public override string Task => "alfworld";

    /// <inheritdoc />
    protected override object Begin(Episode episode) => new RegexFlags(episode.Subgoals);

    /// <inheritdoc />
    protected override (double Progress, bool Done, bool Success) ApplyStep(object state, int index, EpisodeStep episodeStep, double progress)
    {
        ArgumentNullException.ThrowIfNull(episodeStep);
        var flags = (RegexFlags)state;
        flags.Update(episodeStep);
        return episodeStep.Done
            ? (1.0, true, true)
            : ((double)flags.Count / (flags.Total + 1), false, false);
    }

    /// <inheritdoc />
    protected override IReadOnlyList<string> Diagnostics(object state) => ((RegexFlags)state).Problems;
}
