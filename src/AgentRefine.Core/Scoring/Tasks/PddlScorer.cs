namespace AgentRefine.Scoring;

/// <summary>
/// PDDL: after each valid step, the progress rate is <c>max(PR, |goal facts true now| / K)</c> (a fact
/// can become false again; the rate does not fall); success is every goal fact true now, which ends
/// the episode. Invalid steps change nothing.
/// </summary>
public sealed class PddlScorer : TaskScorer
{
    private static readonly FactSetSubgoalMatcher Matcher = new();

    /// <inheritdoc />
    public override string Task => "pddl";

    /// <inheritdoc />
    protected override object Begin(Episode episode) => episode.Subgoals;

    /// <inheritdoc />
    protected override (double Progress, bool Done, bool Success) ApplyStep(object state, int index, EpisodeStep episodeStep, double progress)
    {
        ArgumentNullException.ThrowIfNull(episodeStep);
        var goals = (IReadOnlyList<string>)state;
        if (!episodeStep.Valid || goals.Count == 0)
        {
            return (progress, false, false);
        }

        var reached = goals.Count(goal => Matcher.Matches(goal, episodeStep, episodeStep.Observation));
        var success = reached == goals.Count;
        return (Math.Max(progress, (double)reached / goals.Count), success, success);
    }
}
