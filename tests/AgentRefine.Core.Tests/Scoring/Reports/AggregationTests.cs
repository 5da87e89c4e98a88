using System.Text.Json.Nodes;
using AgentRefine.Scoring;

namespace AgentRefine.Core.Tests.Scoring;

public class AggregationTests
{
    private static Episode E(string run, string task, long id, string difficulty, bool succeed, params string[] observations) =>
        new(run, task, id, difficulty, "g", ["a", "b"], observations.Select((o, i) => new EpisodeStep("act", o, i % 2 == 0, false)).ToArray())
        {
        };

    private static ScoringReport Report(params Episode[] episodes) => new AgentBoardScorer().Score(episodes);

    [Fact]
    public void Task_means_and_easy_hard_splits()
    {
        var report = Report(
            E("m", "scienceworld", 1, "easy", true, "a", "b"),
            E("m", "scienceworld", 2, "hard", false, "a"),
            E("m", "scienceworld", 3, "hard", false, "x", "y", "z", "w"));

        var task = report.Runs["m"].Tasks["scienceworld"];
        task.Episodes.Should().Be(3);
        task.Success.Should().BeApproximately(1.0 / 3, 1e-12);
        task.Progress.Should().BeApproximately((1.0 + 0.5 + 0) / 3, 1e-12);
        task.SuccessEasy.Should().Be(1.0);
        task.SuccessHard.Should().Be(0.0);
        task.ProgressEasy.Should().Be(1.0);
        task.ProgressHard.Should().Be(0.25);
        task.Grounding.Should().BeApproximately((0.5 + 1.0 + 0.5) / 3, 1e-12);
    }

    [Fact]
    public void Categories_appear_only_when_every_task_ran()
    {
        var partial = Report(E("m", "scienceworld", 1, "easy", true, "a", "b"), E("m", "jericho", 1, "easy", true, "a"), E("m", "pddl", 1, "easy", true, "a"));
        partial.Runs["m"].Categories.Keys.Should().Equal("game");
        partial.Runs["m"].Categories["game"].Progress.Should().BeApproximately((0.5 + 0.0) / 2, 1e-12, "the PDDL episode has no facts, so 0");

        var full = Report(E("m", "scienceworld", 1, "easy", true, "a", "b"), E("m", "alfworld", 1, "easy", true, "a"), E("m", "babyai", 1, "easy", true, "a"));
        full.Runs["m"].Categories.Keys.Should().Equal("embodied");
        full.Runs["m"].Categories["embodied"].Success.Should().BeApproximately(1.0 / 3, 1e-12);
    }

    [Fact]
    public void The_long_range_curve_is_the_mean_by_step()
    {
        var report = Report(E("m", "scienceworld", 1, "easy", true, "a", "x", "b"), E("m", "scienceworld", 2, "easy", true, "x", "b"));
        report.Runs["m"].LongRange.Take(4).Should().Equal(0.25, 0.5, 0.75, 0.75);
    }

    [Fact]
    public void Runs_are_separate_and_the_json_follows_the_contract()
    {
        var report = Report(E("model-a", "scienceworld", 7, "easy", true, "a", "b"), E("model-b", "scienceworld", 7, "hard", false, "a"));
        var json = JsonNode.Parse(ScoringReportWriter.ToJson(report))!;

        json.AsObject().Select(p => p.Key).Should().Equal("runs", "episodes");
        json["runs"]!.AsObject().Select(p => p.Key).Should().Equal("model-a", "model-b");
        var task = json["runs"]!["model-a"]!["tasks"]!["scienceworld"]!.AsObject();
        task.Select(p => p.Key).Should().Equal("episodes", "success", "progress", "grounding", "success_easy", "success_hard", "progress_easy", "progress_hard");
        task["success"]!.GetValue<double>().Should().Be(1.0);
        task["success_hard"].Should().BeNull();
        json["runs"]!["model-a"]!["long_range"]!.AsArray().Should().HaveCount(30);
        var episode = json["episodes"]![0]!.AsObject();
        episode.Select(p => p.Key).Should().Equal("run", "task", "id", "success", "progress", "grounding", "score_change_record");
        episode["score_change_record"]!.ToJsonString().Should().Be("[[0,0.5],[1,1]]");
        episode["id"]!.GetValue<long>().Should().Be(7);
    }

    [Fact]
    public void Markdown_marks_held_in_cells_and_averages()
    {
        var report = Report(E("model-a", "scienceworld", 1, "easy", true, "a", "b"), E("model-a", "jericho", 1, "easy", true, "a"));
        var markdown = ScoringReportWriter.ToMarkdown(report, new HashSet<string> { "scienceworld" });

        markdown.Should().Be(
            "| run | scienceworld (held-in) Success | scienceworld (held-in) Progress | jericho Success | jericho Progress | average Success | average Progress | held-out average Success | held-out average Progress |\n" +
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|\n" +
            "| model-a | <ins>100.0</ins> | <ins>100.0</ins> | 0.0 | 50.0 | 50.0 | 75.0 | 0.0 | 50.0 |\n");
    }

    [Fact]
    public void Csv_has_one_row_per_run_and_task()
    {
        var report = Report(E("a,b", "scienceworld", 1, "easy", true, "a", "b"));
        ScoringReportWriter.ToCsv(report).Should().Be(
            "run,task,episodes,success,progress,grounding,success_easy,success_hard,progress_easy,progress_hard\n" +
            "\"a,b\",scienceworld,1,1,1,0.5,1,,1,\n");
    }
}
