namespace AgentRefine.Scoring;

/// <summary>
/// Scores an episode of a task without an AgentBoard rule from what its environment reported: the
/// progress is the running maximum of the steps' <see cref="EpisodeStep.Progress"/> (clamped to
/// [0, 1]), success is <see cref="Episode.Success"/>, grounding is valid steps over steps taken; the
/// episode ends at its first done step. The score is flagged <see cref="EpisodeScore.IsEnvironmentProgress"/>:
/// this is the environment's own measure, never AgentBoard's progress rate.
/// </summary>
internal sealed class ReportedProgressScorer : TaskScorer<Episode>
{
    public override string Task => "*";

    /// <summary>Whether an episode carries environment-reported results to score.</summary>
    public static bool Applies(Episode episode) =>
        episode.Success is not null || (episode.Steps is { } steps && steps.Any(s => s?.Progress is not null));

    public EpisodeScore ScoreReported(Episode episode) => Score(episode) with { IsEnvironmentProgress = true };

    protected override Episode Begin(Episode episode) => episode;

    protected override (double Progress, bool Done, bool Success) ApplyStep(Episode state, int index, EpisodeStep episodeStep, double progress)
    {
        var reported = episodeStep.Progress is { } value && double.IsFinite(value) ? Math.Clamp(value, 0, 1) : progress;
        return (Math.Max(progress, reported), episodeStep.Done, state.Success == true);
    }
}
