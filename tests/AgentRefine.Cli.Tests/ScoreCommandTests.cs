using System.Text.Json.Nodes;

namespace AgentRefine.Cli.Tests;

public sealed class ScoreCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("agentrefine-score-cli-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static string Episodes => Path.Combine(AppContext.BaseDirectory, "samples", "episodes.jsonl");

    private static (int Exit, string Out, string Err) Run(params string[] args) => Cli.Run(args);

    [Fact]
    public void Json_follows_the_contract()
    {
        var (exit, stdout, stderr) = Run("score", "--episodes", Episodes, "--format", "json");

        exit.Should().Be(0, stderr);
        var json = JsonNode.Parse(stdout)!;
        json["runs"]!.AsObject().Select(p => p.Key).Should().Equal("agent-refine-8b", "baseline-8b");
        var baseline = json["runs"]!["baseline-8b"]!;
        baseline["tasks"]!["alfworld"]!["progress"]!.GetValue<double>().Should().Be(0.25);
        baseline["tasks"]!["pddl"]!["progress"]!.GetValue<double>().Should().Be(0.5);
        baseline["categories"]!.AsObject().Select(p => p.Key).Should().Equal("embodied", "game");
        json["episodes"]!.AsArray().Should().HaveCount(10);
        json["episodes"]![0]!["score_change_record"]!.ToJsonString().Should().Be("[[1,0.25],[2,0.5],[3,1]]");
    }

    [Fact]
    public void Markdown_prints_the_papers_table_and_the_chart_is_written()
    {
        var chart = Path.Combine(_folder, "curve.svg");
        var (exit, stdout, _) = Run("score", "--episodes", Episodes, "--held-in", "alfworld", "--chart", chart);

        exit.Should().Be(0);
        stdout.Should().Contain("| baseline-8b | <ins>0.0</ins> | <ins>25.0</ins> | 0.0 | 33.3 | 0.0 | 33.3 | 0.0 | 50.0 | 0.0 | 0.0 | 0.0 | 28.3 | 0.0 | 29.2 |");
        var svg = File.ReadAllText(chart);
        svg.Should().StartWith("<svg xmlns=\"http://www.w3.org/2000/svg\"").And.Contain("<polyline").And.Contain("baseline-8b").And.EndWith("</svg>\n");
    }

    [Fact]
    public void Csv_is_available()
    {
        var (_, stdout, _) = Run("score", "--episodes", Episodes, "--format", "csv");
        stdout.Split('\n')[0].Should().Be("run,task,episodes,success,progress,grounding,success_easy,success_hard,progress_easy,progress_hard");
        stdout.Should().Contain("baseline-8b,alfworld,1,0,0.25,");
    }

    [Fact]
    public void A_run_name_applies_to_episodes_without_one()
    {
        var path = Path.Combine(_folder, "e.jsonl");
        File.WriteAllText(path, "{\"task\": \"pddl\", \"id\": 1, \"subgoals\": [\"(on a b)\"], \"steps\": [{\"action\": \"stack a b\", \"observation\": \"ok\", \"facts\": [\"(on a b)\"]}]}\n");
        var (_, stdout, _) = Run("score", "--episodes", path, "--run", "llama-3-8b", "--format", "json");
        JsonNode.Parse(stdout)!["runs"]!["llama-3-8b"]!["tasks"]!["pddl"]!["success"]!.GetValue<double>().Should().Be(1);
    }

    [Fact]
    public void Unknown_tasks_are_warned_about_on_stderr()
    {
        var path = Path.Combine(_folder, "e.jsonl");
        File.WriteAllText(path, "{\"task\": \"webshop\", \"id\": 1, \"subgoals\": [], \"steps\": []}\n");
        var (exit, _, stderr) = Run("score", "--episodes", path);
        exit.Should().Be(0);
        stderr.Should().StartWith("agentrefine score: warning: default/webshop/1: no scoring rule for task 'webshop'");
    }

    [Theory]
    [InlineData(new[] { "score" }, "agentrefine: Give exactly one of --episodes and --agentboard-logs (or a subcommand: hotpotqa, judge, robustness).")]
    [InlineData(new[] { "score", "--episodes", "x", "--format", "html" }, "agentrefine: Argument 'html' not recognized.")]
    public void Bad_usage_exits_2(string[] args, string message)
    {
        var (exit, _, stderr) = Run(args);
        exit.Should().Be(2);
        stderr.Should().StartWith(message);
    }

    [Fact]
    public void An_unreadable_episodes_file_exits_2_naming_file_and_line()
    {
        var path = Path.Combine(_folder, "e.jsonl");
        File.WriteAllText(path, "{\"task\": \"alfworld\"}\n");
        var (exit, _, stderr) = Run("score", "--episodes", path);
        exit.Should().Be(2);
        stderr.Should().Be("agentrefine score: e.jsonl:1: 'id' is missing or not an integer." + Environment.NewLine);
    }
}
