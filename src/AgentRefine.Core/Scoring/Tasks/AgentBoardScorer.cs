namespace AgentRefine.Scoring;

/// <summary>
/// Scores episodes the AgentBoard way (see <c>docs/scoring.md</c>) with one <see cref="TaskScorer"/> per
/// task, and aggregates them: per task (with easy/hard splits), per category (only when all its tasks
/// ran), and the long-range curve. Episodes of a task without a scorer are reported, not scored.
/// </summary>
public sealed class AgentBoardScorer
{
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
    /// <returns>The score; <see cref="EpisodeScore.IsScored"/> is <see langword="false"/> for a task without a scorer.</returns>
    public EpisodeScore Score(Episode episode)
    {
        ArgumentNullException.ThrowIfNull(episode);
        return _scorers.TryGetValue(episode.Task, out var scorer)
            ? scorer.Score(episode)
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
    /// <returns>The report.</returns>
    public static ScoringReport Aggregate(IEnumerable<EpisodeScore> episodeScores)
    {
        ArgumentNullException.ThrowIfNull(episodeScores);
        var scores = episodeScores.ToList();
        var runs = new Dictionary<string, RunScores>(StringComparer.Ordinal);
        foreach (var run in scores.Where(s => s.IsScored).GroupBy(s => s.Run, StringComparer.Ordinal))
        {
            var tasks = run.GroupBy(s => s.Task, StringComparer.Ordinal)
                .OrderBy(g => g.Key, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => Summarize(g.ToList()), StringComparer.Ordinal);
            var categories = new Dictionary<string, CategoryScores>(StringComparer.Ordinal);
            foreach (var (category, members) in TaskCategories.All)
            {
                if (members.All(tasks.ContainsKey))
                {
                    var means = members.Select(t => tasks[t]).ToList();
                    categories[category] = new CategoryScores(means.Average(t => t.Success), means.Average(t => t.Progress), means.Average(t => t.Grounding));
                }
            }

            runs[run.Key] = new RunScores(tasks, categories, Curve(run.ToList()));
        }

        return new ScoringReport(runs, scores);
    }

    private static TaskScores Summarize(List<EpisodeScore> episodes)
    {
        var easy = episodes.Where(e => string.Equals(e.Difficulty, "easy", StringComparison.OrdinalIgnoreCase)).ToList();
        var hard = episodes.Where(e => string.Equals(e.Difficulty, "hard", StringComparison.OrdinalIgnoreCase)).ToList();
        return new TaskScores
        {
            Episodes = episodes.Count,
            Success = episodes.Average(e => e.Success ? 1.0 : 0.0),
            Progress = episodes.Average(e => e.Progress),
            Grounding = episodes.Average(e => e.Grounding),
            SuccessEasy = easy.Count == 0 ? null : easy.Average(e => e.Success ? 1.0 : 0.0),
            SuccessHard = hard.Count == 0 ? null : hard.Average(e => e.Success ? 1.0 : 0.0),
            ProgressEasy = easy.Count == 0 ? null : easy.Average(e => e.Progress),
            ProgressHard = hard.Count == 0 ? null : hard.Average(e => e.Progress),
            LongRange = Curve(episodes),
        };
    }

    private static double[] Curve(List<EpisodeScore> episodes) =>
        Enumerable.Range(0, TaskScorer.CurveSteps).Select(k => episodes.Average(e => e.ProgressByStep[k])).ToArray();
}
