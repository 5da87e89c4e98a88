namespace AgentRefine.Scoring;

/// <summary>
/// Scores episodes the AgentBoard way (see <c>docs/scoring.md</c>) with one <see cref="TaskScorer"/> per
/// task, and aggregates them: per task (with easy/hard splits), per category (only when all its tasks
/// ran), and the long-range curve. An episode of a task without a scorer is scored from what its
/// environment reported (<see cref="EpisodeStep.Progress"/>, <see cref="Episode.Success"/>; flagged
/// <see cref="EpisodeScore.IsEnvironmentProgress"/>) when it carries that, and otherwise reported, not scored.
/// </summary>
public sealed class AgentBoardScorer
{
    private static readonly ReportedProgressScorer Reported = new();
    private readonly Dictionary<string, TaskScorer> _scorers;

    /// <summary>Creates a scorer with the five built-in tasks and, optionally, a host's own (which replace built-ins of the same name).</summary>
    /// <param name="additionalScorers">More task scorers.</param>
    public AgentBoardScorer(IEnumerable<TaskScorer>? additionalScorers = null)
    {
        _scorers = new Dictionary<string, TaskScorer>(StringComparer.Ordinal);
        foreach (var scorer in new TaskScorer[] { new AlfworldScorer(), new SciWorldScorer(), new BabyAIScorer(), new JerichoScorer(), new PddlScorer() }.Concat(additionalScorers ?? []))
        {
            _scorers[scorer.Task] = scorer;
        }
    }

    /// <summary>The task scorers, by task name.</summary>
    public IReadOnlyDictionary<string, TaskScorer> Scorers => _scorers;

    /// <summary>Scores one episode; never throws for any content.</summary>
    /// <param name="episode">The episode.</param>
    /// <returns>The score; <see cref="EpisodeScore.IsScored"/> is <see langword="false"/> for a task without a scorer whose episode carries no environment-reported progress or success.</returns>
    public EpisodeScore Score(Episode episode)
    {
        ArgumentNullException.ThrowIfNull(episode);
        return _scorers.TryGetValue(episode.Task, out var scorer)
            ? scorer.Score(episode)
            : ReportedProgressScorer.Applies(episode)
            ? Reported.ScoreReported(episode)
            : new EpisodeScore
            {
                Run = episode.Run,
                Task = episode.Task,
                Id = episode.Id,
                Difficulty = episode.Difficulty,
                IsScored = false,
                Diagnostics = [$"no scoring rule for task '{episode.Task}' (known: {string.Join(", ", _scorers.Keys.Order(StringComparer.Ordinal))}); the episode is left out of every mean"],
            };
    }

    /// <summary>Scores episodes and aggregates them per run.</summary>
    /// <param name="episodes">The episodes.</param>
    /// <returns>The report.</returns>
    public ScoringReport Score(IEnumerable<Episode> episodes)
    {
        ArgumentNullException.ThrowIfNull(episodes);
        return Aggregate(episodes.Select(Score));
    }

    /// <summary>Aggregates episode scores from any source (for example AgentBoard's own logs) per run.</summary>
    /// <param name="episodeScores">The scores.</param>
    /// <returns>The report, with every score in <see cref="ScoringReport.Episodes"/>; to aggregate without keeping them, use a <see cref="ScoreAggregator"/>.</returns>
    public static ScoringReport Aggregate(IEnumerable<EpisodeScore> episodeScores)
    {
        ArgumentNullException.ThrowIfNull(episodeScores);
        var aggregator = new ScoreAggregator(keepEpisodes: true);
        foreach (var score in episodeScores)
        {
            aggregator.Add(score);
        }

        return aggregator.ToReport();
    }
}
