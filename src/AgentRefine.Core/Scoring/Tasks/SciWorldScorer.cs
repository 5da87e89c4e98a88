namespace AgentRefine.Scoring;

/// <summary>
/// ScienceWorld: as Alfworld, but a step whose action is exactly <c>check valid actions</c> updates
/// nothing; the progress rate is <c>flags / K</c>; success is all K flags set (the environment's own
/// score is ignored); the episode ends at success or when the environment ends it.
/// </summary>
public sealed class SciWorldScorer : TaskScorer
{
    /// <inheritdoc />
    public override string Task => "scienceworld";

    /// <inheritdoc />
    protected override object Begin(Episode episode) => new RegexFlags(episode.Subgoals);

    /// <inheritdoc />
    protected override (double Progress, bool Done, bool Success) ApplyStep(object state, int index, EpisodeStep episodeStep, double progress)
    {
        ArgumentNullException.ThrowIfNull(episodeStep);
        var flags = (RegexFlags)state;
        if (!string.Equals(episodeStep.Action, "check valid actions", StringComparison.Ordinal))
        {
            flags.Update(episodeStep);
        }

        var success = flags.Total > 0 && flags.Count == flags.Total;
        return (flags.Total == 0 ? 0 : (double)flags.Count / flags.Total, success || episodeStep.Done, success);
    }

    /// <inheritdoc />
    protected override IReadOnlyList<string> Diagnostics(object state) => ((RegexFlags)state).Problems;
}
