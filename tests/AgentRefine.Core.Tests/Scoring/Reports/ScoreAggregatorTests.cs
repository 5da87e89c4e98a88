using System.Text;
using AgentRefine.Scoring;

namespace AgentRefine.Core.Tests.Scoring;

/// <summary>
/// The streamed aggregate (<see cref="ScoreAggregator"/>) against the list-based aggregation it replaced,
/// kept here verbatim as the reference: equal to the last bit on the samples and on random episodes.
/// </summary>
public class ScoreAggregatorTests
{
    private static readonly string[] Tasks = ["alfworld", "scienceworld", "babyai", "jericho", "pddl", "webshop"];

    private static async Task<List<Episode>> SampleEpisodesAsync() =>
        await EpisodeReader.ReadAsync(Path.Combine(AppContext.BaseDirectory, "samples", "episodes.jsonl")).ToListAsync();

    /// <summary>Random episodes over every task (one without a rule), three runs, both difficulties and none.</summary>
    private static List<Episode> RandomEpisodes(int seed, int count)
    {
        var random = new Random(seed);
        var words = new[] { "apple", "pot", "key", "door", "(on a b)", "(clear a)", "You pick up the apple 1", "water boils", "red", "The task is completed" };
        return Enumerable.Range(0, count).Select(i =>
        {
            var subgoals = Enumerable.Range(0, random.Next(1, 5)).Select(_ => words[random.Next(words.Length)]).ToArray();
            var steps = Enumerable.Range(0, random.Next(0, 35)).Select(_ => new EpisodeStep(
                random.Next(8) == 0 ? "check valid actions" : "act",
                string.Join(". ", Enumerable.Range(0, random.Next(0, 4)).Select(_ => words[random.Next(words.Length)])),
                random.Next(4) != 0,
                random.Next(12) == 0,
                random.Next(2) == 0 ? [words[random.Next(4, 6)]] : null)).ToArray();
            return new Episode($"run-{random.Next(3)}", Tasks[random.Next(Tasks.Length)], i, random.Next(3) switch { 0 => "easy", 1 => "hard", _ => null }, "goal", subgoals, steps);
        }).ToList();
    }

    [Fact]
    public async Task The_streamed_aggregate_equals_the_list_based_one_on_the_samples()
    {
        var scores = (await SampleEpisodesAsync()).Select(new AgentBoardScorer().Score).ToList();
        AssertSame(Streamed(scores), Reference(scores));
    }

    [Theory]
    [InlineData(1, 2_000)]
    [InlineData(2, 5_000)]
    [InlineData(3, 1)]
    public void The_streamed_aggregate_equals_the_list_based_one_on_random_episodes(int seed, int count)
    {
        var scores = RandomEpisodes(seed, count).Select(new AgentBoardScorer().Score).ToList();
        AssertSame(Streamed(scores), Reference(scores));
    }

    [Fact]
    public void Counts_and_kept_episodes()
    {
        var scores = RandomEpisodes(4, 300).Select(new AgentBoardScorer().Score).ToList();
        var aggregator = new ScoreAggregator();
        scores.ForEach(aggregator.Add);

        aggregator.Count.Should().Be(300);
        aggregator.ScoredCount.Should().Be(scores.Count(s => s.IsScored)).And.BeLessThan(300, "webshop has no rule");
        aggregator.ToReport().Episodes.Should().BeEmpty("episodes are not kept unless asked");
        AgentBoardScorer.Aggregate(scores).Episodes.Should().Equal(scores);
    }

    [Fact]
    public async Task The_streamed_json_is_byte_for_byte_the_json_of_the_whole_report()
    {
        var scores = RandomEpisodes(5, 3_000).Concat((await SampleEpisodesAsync()).Select(e => e with { Run = "ünïcode \"run\"" })).Select(new AgentBoardScorer().Score).ToList();
        var report = AgentBoardScorer.Aggregate(scores);
        foreach (var indented in new[] { true, false })
        {
            using var stream = new MemoryStream();
            await ScoringReportWriter.WriteJsonAsync(stream, report.Runs, scores.ToAsyncEnumerable(), indented);
            Encoding.UTF8.GetString(stream.ToArray()).Should().Be(ScoringReportWriter.ToJson(report, indented));
        }
    }

    [Fact]
    public async Task The_table_and_the_markdown_agree()
    {
        var report = new AgentBoardScorer().Score(await SampleEpisodesAsync());
        var held = new HashSet<string>(["alfworld"], StringComparer.Ordinal);

        var table = ScoringReportWriter.ToTable(report, held);

        table.Columns.Should().HaveCount(15).And.StartWith(["run", "alfworld (held-in) Success", "alfworld (held-in) Progress"]).And.EndWith(["held-out average Success", "held-out average Progress"]);
        table.Rows[1].Take(3).Should().Equal(new ScoringTableCell("baseline-8b", false), new ScoringTableCell("0.0", true), new ScoringTableCell("25.0", true));
        ScoringReportWriter.ToMarkdown(report, held).Split('\n')[3].Should().Be("| baseline-8b | <ins>0.0</ins> | <ins>25.0</ins> | 0.0 | 33.3 | 0.0 | 33.3 | 0.0 | 50.0 | 0.0 | 0.0 | 0.0 | 28.3 | 0.0 | 29.2 |");
    }

    private static ScoringReport Streamed(List<EpisodeScore> scores)
    {
        var aggregator = new ScoreAggregator();
        foreach (var score in scores)
        {
            aggregator.Add(score);
        }

        return aggregator.ToReport() with { Episodes = scores };
    }

    private static void AssertSame(ScoringReport actual, ScoringReport expected)
    {
        actual.Runs.Keys.Should().Equal(expected.Runs.Keys);
        foreach (var (run, scores) in expected.Runs)
        {
            var other = actual.Runs[run];
            other.Tasks.Keys.Should().Equal(scores.Tasks.Keys);
            other.Categories.Keys.Should().Equal(scores.Categories.Keys);
            foreach (var (task, t) in scores.Tasks)
            {
                other.Tasks[task].Should().BeEquivalentTo(t, o => o.WithStrictOrdering());
                Bits(other.Tasks[task].LongRange).Should().Equal(Bits(t.LongRange));
                BitConverter.DoubleToInt64Bits(other.Tasks[task].Progress).Should().Be(BitConverter.DoubleToInt64Bits(t.Progress));
                BitConverter.DoubleToInt64Bits(other.Tasks[task].Grounding).Should().Be(BitConverter.DoubleToInt64Bits(t.Grounding));
            }

            other.Categories.Should().Equal(scores.Categories);
            Bits(other.LongRange).Should().Equal(Bits(scores.LongRange));
        }

        ScoringReportWriter.ToJson(actual).Should().Be(ScoringReportWriter.ToJson(expected));
        ScoringReportWriter.ToCsv(actual).Should().Be(ScoringReportWriter.ToCsv(expected));
        ScoringReportWriter.ToMarkdown(actual).Should().Be(ScoringReportWriter.ToMarkdown(expected));
    }

    private static long[] Bits(IReadOnlyList<double> values) => values.Select(BitConverter.DoubleToInt64Bits).ToArray();

    /// <summary>The list-based aggregation as it was before streaming (AgentBoardScorer.Aggregate), verbatim.</summary>
    private static ScoringReport Reference(IEnumerable<EpisodeScore> episodeScores)
    {
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

        static TaskScores Summarize(List<EpisodeScore> episodes)
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

        static double[] Curve(List<EpisodeScore> episodes) =>
            Enumerable.Range(0, TaskScorer.CurveSteps).Select(k => episodes.Average(e => e.ProgressByStep[k])).ToArray();
    }
}
