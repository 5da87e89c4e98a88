namespace AgentRefine.Scoring;

/// <summary>
/// BabyAI: when the environment reports done at a step, <c>"\n The task is completed."</c> is appended
/// to its observation (unless already there); then the first remaining wildcard subgoal that matches
/// awards a point and is removed (at most one per step); the progress rate is
/// <c>max(PR, points / K)</c>. Done with a progress rate of at most 0.5 is not done; a rate of 1 is
/// done. Success is done.
/// </summary>
public sealed class BabyAIScorer : TaskScorer<RemainingSubgoals>
{
    /// <summary>The text appended to the observation of a done step.</summary>
    public const string CompletionText = "\n The task is completed.";

    /// <inheritdoc />
    public override string Task => "babyai";

    /// <inheritdoc />
    protected override RemainingSubgoals Begin(Episode episode)
    {
        ArgumentNullException.ThrowIfNull(episode);
        return new RemainingSubgoals(episode.Subgoals, new WildcardSubgoalMatcher());
    }

    /// <inheritdoc />
    protected override (double Progress, bool Done, bool Success) ApplyStep(RemainingSubgoals state, int index, EpisodeStep episodeStep, double progress)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(episodeStep);
        var observation = episodeStep.Done && !episodeStep.Observation.Contains(CompletionText, StringComparison.Ordinal)
            ? episodeStep.Observation + CompletionText
            : episodeStep.Observation;
        state.Award(episodeStep, observation);
        var rate = Math.Max(progress, state.Rate);
        var done = (episodeStep.Done && rate > 0.5) || state.Points == state.Total && state.Total > 0;
        return (rate, done, done);
    }
}
