namespace AgentRefine.Scoring;

/// <summary>
/// Aggregates episode scores one at a time, per run and task, in memory that does not grow with the
/// number of episodes: running sums of success, progress, grounding, the easy/hard splits and the
/// long-range curve. The result is the same, bit for bit, as aggregating the whole list at once
/// (<see cref="AgentBoardScorer.Aggregate"/> uses this type): sums run in input order.
/// </summary>
/// <remarks>
/// Runs appear in the order their first scored episode was added, tasks in ordinal order, categories
/// in <see cref="TaskCategories.All"/> order and only when all their tasks ran. Unscored episodes
/// (<see cref="EpisodeScore.IsScored"/> is <see langword="false"/>) are counted but left out of every mean.
/// A curve step beyond an episode's <see cref="EpisodeScore.ProgressByStep"/> counts as its final progress.
/// </remarks>
public sealed class ScoreAggregator
{
    private readonly Dictionary<string, RunSums> _runs = new(StringComparer.Ordinal);
    private readonly List<string> _runOrder = [];
    private readonly List<EpisodeScore>? _episodes;

    /// <summary>Creates an aggregator.</summary>
    /// <param name="keepEpisodes">
    /// Whether to keep every added score for <see cref="ScoringReport.Episodes"/> (memory then grows
    /// with the input); when <see langword="false"/>, the report's episode list is empty.
    /// </param>
    public ScoreAggregator(bool keepEpisodes = false)
    {
        _episodes = keepEpisodes ? [] : null;
    }

    /// <summary>Scores added so far, unscored ones included.</summary>
    public long Count { get; private set; }

    /// <summary>Scored episodes added so far (those counted in the means).</summary>
    public long ScoredCount { get; private set; }

    /// <summary>Adds one episode's score.</summary>
    /// <param name="score">The score.</param>
    public void Add(EpisodeScore score)
    {
        ArgumentNullException.ThrowIfNull(score);
        Count++;
        _episodes?.Add(score);
        if (!score.IsScored)
        {
            return;
        }

        ScoredCount++;
        if (!_runs.TryGetValue(score.Run, out var run))
        {
            run = new RunSums();
            _runs.Add(score.Run, run);
            _runOrder.Add(score.Run);
        }

        run.Add(score);
    }

    /// <summary>The aggregates per run so far.</summary>
    /// <returns>Scores per run, by run name, in the order runs first appeared.</returns>
    public IReadOnlyDictionary<string, RunScores> ToRuns()
    {
        var runs = new Dictionary<string, RunScores>(StringComparer.Ordinal);
        foreach (var name in _runOrder)
        {
            runs[name] = _runs[name].ToScores();
        }

        return runs;
    }

    /// <summary>The report so far: <see cref="ToRuns"/> and, when the aggregator keeps them, every added score in order.</summary>
    /// <returns>The report.</returns>
    public ScoringReport ToReport() => new(ToRuns(), _episodes is null ? [] : [.. _episodes]);

    /// <summary>A run's sums: over all its episodes (the run's curve) and per task.</summary>
    private sealed class RunSums
    {
        private readonly Sums _all = new();
        private readonly Dictionary<string, TaskSums> _tasks = new(StringComparer.Ordinal);

        public void Add(EpisodeScore score)
        {
            _all.Add(score);
            if (!_tasks.TryGetValue(score.Task, out var task))
            {
                task = new TaskSums();
                _tasks.Add(score.Task, task);
            }

            task.Add(score);
        }

        public RunScores ToScores()
        {
            var tasks = _tasks.OrderBy(t => t.Key, StringComparer.Ordinal).ToDictionary(t => t.Key, t => t.Value.ToScores(), StringComparer.Ordinal);
            var categories = new Dictionary<string, CategoryScores>(StringComparer.Ordinal);
            foreach (var (category, members) in TaskCategories.All)
            {
                if (members.All(tasks.ContainsKey))
                {
                    var means = members.Select(t => tasks[t]).ToList();
                    categories[category] = new CategoryScores(means.Average(t => t.Success), means.Average(t => t.Progress), means.Average(t => t.Grounding));
                }
            }

            return new RunScores(tasks, categories, _all.Curve());
        }
    }

    /// <summary>A task's sums: all its episodes, and its easy and hard ones.</summary>
    private sealed class TaskSums
    {
        private readonly Sums _all = new();
        private readonly Sums _easy = new();
        private readonly Sums _hard = new();

        public void Add(EpisodeScore score)
        {
            _all.Add(score);
            if (string.Equals(score.Difficulty, "easy", StringComparison.OrdinalIgnoreCase))
            {
                _easy.Add(score);
            }
            else if (string.Equals(score.Difficulty, "hard", StringComparison.OrdinalIgnoreCase))
            {
                _hard.Add(score);
            }
        }

        public TaskScores ToScores() => new()
        {
            Episodes = checked((int)_all.Count),
            Success = _all.Success / _all.Count,
            Progress = _all.Progress / _all.Count,
            Grounding = _all.Grounding / _all.Count,
            SuccessEasy = _easy.Count == 0 ? null : _easy.Success / _easy.Count,
            SuccessHard = _hard.Count == 0 ? null : _hard.Success / _hard.Count,
            ProgressEasy = _easy.Count == 0 ? null : _easy.Progress / _easy.Count,
            ProgressHard = _hard.Count == 0 ? null : _hard.Progress / _hard.Count,
            LongRange = _all.Curve(),
        };
    }

    /// <summary>Running sums over a set of episodes, added in input order (as <see cref="Enumerable.Average{TSource}(IEnumerable{TSource}, Func{TSource, double})"/> sums).</summary>
    private sealed class Sums
    {
        private readonly double[] _curve = new double[TaskScorer.CurveSteps];

        public long Count { get; private set; }

        public double Success { get; private set; }

        public double Progress { get; private set; }

        public double Grounding { get; private set; }

        public void Add(EpisodeScore score)
        {
            // The first value is assigned, not added to 0, exactly as Enumerable.Average starts (-0.0 stays -0.0).
            var first = Count == 0;
            Count++;
            Success = Sum(first, Success, score.Success ? 1.0 : 0.0);
            Progress = Sum(first, Progress, score.Progress);
            Grounding = Sum(first, Grounding, score.Grounding);
            var byStep = score.ProgressByStep;
            for (var k = 0; k < _curve.Length; k++)
            {
                _curve[k] = Sum(first, _curve[k], k < byStep.Count ? byStep[k] : score.Progress);
            }
        }

        private static double Sum(bool first, double sum, double value) => first ? value : sum + value;

        public double[] Curve()
        {
            var curve = new double[_curve.Length];
            for (var k = 0; k < curve.Length; k++)
            {
                curve[k] = _curve[k] / Count;
            }

            return curve;
        }
    }
}
