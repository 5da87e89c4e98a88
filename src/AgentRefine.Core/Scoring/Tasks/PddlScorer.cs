namespace AgentRefine.Scoring;

/// <summary>
/// PDDL: after each valid step, the progress rate is <c>max(PR, |goal facts true now| / K)</c> (a fact
/// can become false again; the rate does not fall); success is every goal fact true now, which ends
/// the episode. Invalid steps change nothing.
/// </summary>
public sealed class PddlScorer : TaskScorer<IReadOnlyList<string>>
{
    private static readonly FactSetSubgoalMatcher Matcher = new();

    /// <inheritdoc />
    public override string Task => "pddl";

    /// <inheritdoc />
    protected override IReadOnlyList<string> Begin(Episode episode)
    {
        ArgumentNullException.ThrowIfNull(episode);
        return episode.Subgoals;
    }

    /// <inheritdoc />
    protected override (double Progress, bool Done, bool Success) ApplyStep(IReadOnlyList<string> state, int index, EpisodeStep episodeStep, double progress)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(episodeStep);
        if (!episodeStep.Valid || state.Count == 0)
        {
            return (progress, false, false);
        }

        var reached = state.Count(goal => Matcher.Matches(goal, episodeStep, episodeStep.Observation));
        var success = reached == state.Count;
        return (Math.Max(progress, (double)reached / state.Count), success, success);
    }
}
