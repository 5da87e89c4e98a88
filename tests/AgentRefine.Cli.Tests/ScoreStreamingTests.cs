using System.Text.Json.Nodes;
using AgentRefine.Scoring;

namespace AgentRefine.Cli.Tests;

/// <summary>Runs alone: it measures the process's live heap while <c>score</c> reads.</summary>
[CollectionDefinition(nameof(MemoryMeasurement), DisableParallelization = true)]
public sealed class MemoryMeasurement;

/// <summary><c>score</c> streams: its output equals the list-based report, and its live memory does not grow with the input.</summary>
[Collection(nameof(MemoryMeasurement))]
public sealed class ScoreStreamingTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("agentrefine-score-stream-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>The samples cycled: ids, runs and difficulties varied so every mean has many different terms.</summary>
    private string Generate(int count)
    {
        var samples = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "samples", "episodes.jsonl")).Where(l => l.Length > 0).ToArray();
        var path = Path.Combine(_folder, $"episodes-{count}.jsonl");
        using var writer = new StreamWriter(path);
        for (var i = 0; i < count; i++)
        {
            var episode = JsonNode.Parse(samples[i % samples.Length])!.AsObject();
            episode["id"] = i;
            episode["run"] = $"run-{i * 7 % 3}";
            episode["difficulty"] = (i % 5) switch { 0 => "easy", 1 => "hard", 2 => "EASY", _ => null };
            writer.WriteLine(episode.ToJsonString());
        }

        return path;
    }

    [Theory]
    [InlineData("json")]
    [InlineData("markdown")]
    [InlineData("csv")]
    public async Task The_streamed_report_equals_the_list_based_one(string format)
    {
        foreach (var path in new[] { Path.Combine(AppContext.BaseDirectory, "samples", "episodes.jsonl"), Generate(20_000) })
        {
            var report = new AgentBoardScorer().Score(await EpisodeReader.ReadAsync(path).ToListAsync());
            var expected = format switch
            {
                "json" => ScoringReportWriter.ToJson(report) + "\n",
                "csv" => ScoringReportWriter.ToCsv(report),
                _ => ScoringReportWriter.ToMarkdown(report, new HashSet<string>(["babyai"], StringComparer.Ordinal)),
            };

            var (exit, stdout, stderr) = Cli.Run("score", "--episodes", path, "--format", format, "--held-in", "babyai");

            exit.Should().Be(0, stderr);
            stdout.Should().Be(expected);
        }
    }

    [Theory]
    [InlineData("markdown")]
    [InlineData("json")]
    public async Task The_live_heap_stays_flat_while_scoring_100000_episodes(string format)
    {
        var path = Generate(100_000);
        var output = Path.Combine(_folder, "report." + format);
        GC.Collect();
        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        long peak = 0;
        using var done = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!done.IsCancellationRequested)
            {
                peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: true) - baseline);
                await Task.Delay(20);
            }
        });

        var (exit, _, stderr) = Cli.Run("score", "--episodes", path, "--format", format, "--output", output);
        await done.CancelAsync();
        await sampler;

        exit.Should().Be(0, stderr);
        // The list-based command held every episode: about 170 MB live for these 100,000.
        peak.Should().BeLessThan(40_000_000, $"nothing is kept per episode (peak live heap above the baseline: {peak / 1e6:F1} MB)");
    }
}
