namespace AgentRefine.Cli.Tests;

public sealed class ScoreAnalysisCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("agentrefine-analysis-cli-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Write(string name, string content)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, content);
        return path;
    }

    private static (int Exit, string Out, string Err) Run(params string[] args) => Cli.Run(args);

    [Fact]
    public void HotpotQA_reads_the_official_layouts()
    {
        var predictions = Write("pred.json", """{"answer": {"q1": "The Eiffel Tower", "q2": "yes"}, "sp": {}}""");
        var gold = Write("gold.json", """[{"_id": "q1", "answer": "Eiffel Tower"}, {"_id": "q2", "answer": "no"}, {"_id": "q3", "answer": "Paris"}]""");

        var (exit, stdout, _) = Run("score", "hotpotqa", "--predictions", predictions, "--gold", gold);

        exit.Should().Be(0);
        stdout.Should().Be("questions: 3, exact match: 33.33, F1: 33.33, missing predictions: 1\n");
    }

    [Fact]
    public void HotpotQA_reads_json_lines_and_names_bad_lines()
    {
        var predictions = Write("pred.jsonl", "{\"id\": \"q1\", \"answer\": \"paris\"}\n{\"id\": \"q2\"}\n");
        var gold = Write("gold.jsonl", "{\"id\": \"q1\", \"answer\": \"Paris\"}\n");
        var (exit, _, stderr) = Run("score", "hotpotqa", "--predictions", predictions, "--gold", gold);
        exit.Should().Be(2);
        stderr.Should().StartWith("agentrefine score hotpotqa: pred.jsonl:2: expected an object with \"_id\" (or \"id\") and a string \"answer\".");
    }

    [Fact]
    public void Judge_prints_the_agreement()
    {
        var lines = string.Concat(Enumerable.Repeat("{\"judge\": true, \"human\": true}\n", 47)) + "{\"judge\": true, \"human\": false}\n{\"judge\": true, \"human\": false}\n{\"judge\": true, \"human\": false}\n"
            + string.Concat(Enumerable.Repeat("{\"judge_correct\": false, \"human_correct\": false}\n", 41)) + string.Concat(Enumerable.Repeat("{\"judge\": false, \"human\": true}\n", 9));
        var (exit, stdout, _) = Run("score", "judge", "--labels", Write("labels.jsonl", lines));

        exit.Should().Be(0);
        stdout.Should().Be("""
            items: 100 (judge correct: 50, judge wrong: 50)
            confusion (judge × human): correct×correct 47, correct×wrong 3, wrong×correct 9, wrong×wrong 41
            agreement when the judge says correct: 94.0%
            agreement when the judge says wrong:   82.0%
            overall agreement:                     88.0%
            Cohen's kappa:                         0.760

            """);
    }

    [Fact]
    public void Judge_names_a_bad_line()
    {
        var (exit, _, stderr) = Run("score", "judge", "--labels", Write("labels.jsonl", "{\"judge\": true, \"human\": true}\n{\"judge\": \"yes\", \"human\": true}\n"));
        exit.Should().Be(2);
        stderr.Should().Be("agentrefine score judge: labels.jsonl:2: 'judge' is missing or not a boolean." + Environment.NewLine);
    }

    [Fact]
    public void Robustness_compares_runs_across_variants()
    {
        var episodes = Path.Combine(AppContext.BaseDirectory, "samples", "episodes.jsonl");
        var chart = Path.Combine(_folder, "robustness.svg");
        var (exit, stdout, stderr) = Run("score", "robustness", "--variant", $"original={episodes}", "--variant", $"pert1={episodes}", "--chart", chart);

        exit.Should().Be(0, stderr);
        stdout.Should().Be("""
            | run | original | pert1 | mean | std (population) |
            |---|---:|---:|---:|---:|
            | agent-refine-8b | 100.0 / 100.0 | 100.0 / 100.0 | 100.0 / 100.0 | 0.00 / 0.00 |
            | baseline-8b | 0.0 / 25.0 | 0.0 / 25.0 | 0.0 / 25.0 | 0.00 / 0.00 |
            Cells are success / progress in percent; std is the population standard deviation over the variants shown.

            """);
        File.ReadAllText(chart).Should().Contain("<rect").And.Contain("pert1");
    }
}
