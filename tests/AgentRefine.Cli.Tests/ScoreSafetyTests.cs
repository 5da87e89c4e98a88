using System.Text;

namespace AgentRefine.Cli.Tests;

/// <summary>
/// <c>score</c> and its subcommands never destroy or half-write the user's files, name a bad path
/// clearly, accept a byte order mark, and stop on Ctrl+C with one line and exit 130.
/// </summary>
public sealed class ScoreSafetyTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("agentrefine-score-safety-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static string Samples => Path.Combine(AppContext.BaseDirectory, "samples", "episodes.jsonl");

    private string Copy(string name = "episodes.jsonl")
    {
        var path = Path.Combine(_folder, name);
        File.Copy(Samples, path, overwrite: true);
        return path;
    }

    private string Write(string name, string content)
    {
        var path = Path.Combine(_folder, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    private string[] Contents() => Directory.GetFileSystemEntries(_folder, "*", SearchOption.AllDirectories).Select(p => Path.GetRelativePath(_folder, p)).Order(StringComparer.Ordinal).ToArray();

    [Theory]
    [InlineData("--output", "markdown")]
    [InlineData("--output", "json")]
    [InlineData("--chart", "markdown")]
    public void An_output_that_is_the_input_is_refused_and_the_input_kept(string option, string format)
    {
        var input = Copy();
        var before = File.ReadAllBytes(input);

        var (exit, stdout, stderr) = Cli.Run("score", "--episodes", input, "--format", format, option, input);

        exit.Should().Be(2);
        stdout.Should().BeEmpty();
        stderr.Should().Be($"agentrefine score: {option} is the same file as --episodes ('{input}'); refusing to overwrite an input. Choose another {option}.{Environment.NewLine}");
        File.ReadAllBytes(input).Should().Equal(before);
        Contents().Should().Equal("episodes.jsonl");
    }

    [Fact]
    public void The_same_file_through_a_symbolic_link_or_a_relative_path_is_refused()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // symbolic links need a privilege there
        }

        var input = Copy();
        var linkedFolder = Path.Combine(_folder, "linked");
        Directory.CreateSymbolicLink(linkedFolder, _folder);
        var linkedFile = Path.Combine(_folder, "alias.jsonl");
        File.CreateSymbolicLink(linkedFile, "episodes.jsonl");

        foreach (var output in new[] { Path.Combine(linkedFolder, "episodes.jsonl"), linkedFile, Path.Combine(_folder, "linked", "..", "episodes.jsonl") })
        {
            var (exit, _, stderr) = Cli.Run("score", "--episodes", input, "--output", output);
            exit.Should().Be(2, output);
            stderr.Should().StartWith("agentrefine score: --output is the same file as --episodes");
        }

        File.ReadAllBytes(input).Should().Equal(File.ReadAllBytes(Samples));
    }

    [Fact]
    public void Two_outputs_on_one_file_are_refused()
    {
        var report = Path.Combine(_folder, "report.md");
        var (exit, _, stderr) = Cli.Run("score", "--episodes", Samples, "--output", report, "--chart", report);
        exit.Should().Be(2);
        stderr.Should().Be($"agentrefine score: --chart is the same file as --output ('{report}'); give each output its own file.{Environment.NewLine}");
        Contents().Should().BeEmpty();
    }

    [Fact]
    public void An_output_over_a_file_of_an_agentboard_run_is_refused()
    {
        var log = Write(Path.Combine("run", "logs", "alfworld.jsonl"), "{\"id\": 1, \"task_name\": \"alfworld\", \"is_done\": true, \"progress_rate\": 1.0, \"grounding_acc\": 1.0}\n");
        var (exit, _, stderr) = Cli.Run("score", "--agentboard-logs", Path.Combine(_folder, "run"), "--output", log);
        exit.Should().Be(2);
        stderr.Should().StartWith($"agentrefine score: --output is the same file as a file read from --agentboard-logs ('{log}'); refusing to overwrite an input.");
    }

    [Theory]
    [InlineData("hotpotqa", "--gold")]
    [InlineData("judge", "--labels")]
    [InlineData("robustness", "--variant original")]
    public void The_subcommands_refuse_an_output_that_is_an_input(string subcommand, string inputOption)
    {
        var input = subcommand switch
        {
            "hotpotqa" => Write("gold.jsonl", "{\"id\": \"q1\", \"answer\": \"Paris\"}\n"),
            "judge" => Write("labels.jsonl", "{\"judge\": true, \"human\": true}\n"),
            _ => Copy(),
        };
        var before = File.ReadAllBytes(input);
        string[] args = subcommand switch
        {
            "hotpotqa" => ["score", "hotpotqa", "--predictions", input, "--gold", input, "--output", input],
            "judge" => ["score", "judge", "--labels", input, "--output", input],
            _ => ["score", "robustness", "--variant", $"original={input}", "--chart", input],
        };

        var (exit, _, stderr) = Cli.Run(args);

        exit.Should().Be(2);
        stderr.Should().StartWith($"agentrefine score {subcommand}: --{(subcommand == "robustness" ? "chart" : "output")} is the same file as {(subcommand == "hotpotqa" ? "--predictions" : inputOption)} ('{input}')");
        File.ReadAllBytes(input).Should().Equal(before);
    }

    [Fact]
    public void A_chart_path_that_is_a_directory_says_so()
    {
        var charts = Directory.CreateDirectory(Path.Combine(_folder, "charts")).FullName;
        var (exit, stdout, stderr) = Cli.Run("score", "--episodes", Samples, "--chart", charts);
        exit.Should().Be(2);
        stdout.Should().BeEmpty("the check runs before anything is written");
        stderr.Should().Be($"agentrefine score: --chart: '{charts}' is a directory, not a file.{Environment.NewLine}");

        var robustness = Cli.Run("score", "robustness", "--variant", $"a={Samples}", "--chart", charts);
        robustness.Exit.Should().Be(2);
        robustness.Err.Should().Be($"agentrefine score robustness: --chart: '{charts}' is a directory, not a file.{Environment.NewLine}");
    }

    [Fact]
    public void Missing_inputs_and_directories_are_named_without_a_dotnet_message()
    {
        var missing = Path.Combine(_folder, "nope.jsonl");
        var folder = Directory.CreateDirectory(Path.Combine(_folder, "dir")).FullName;
        var cases = new (string[] Args, string Message)[]
        {
            (["score", "--episodes", missing], $"agentrefine score: --episodes: '{missing}' does not exist."),
            (["score", "--episodes", folder], $"agentrefine score: --episodes: '{folder}' is a directory, not a file."),
            (["score", "--agentboard-logs", missing], $"agentrefine score: --agentboard-logs: '{missing}' does not exist."),
            (["score", "--agentboard-logs", Samples], $"agentrefine score: --agentboard-logs: '{Samples}' is a file, not a folder."),
            (["score", "--episodes", Samples, "--output", Path.Combine(_folder, "no", "r.md")], $"agentrefine score: --output: cannot write '{Path.Combine(_folder, "no", "r.md")}': the folder '{Path.Combine(_folder, "no")}' does not exist."),
            (["score", "judge", "--labels", missing], $"agentrefine score judge: --labels: '{missing}' does not exist."),
            (["score", "hotpotqa", "--predictions", folder, "--gold", Samples], $"agentrefine score hotpotqa: --predictions: '{folder}' is a directory, not a file."),
            (["score", "robustness", "--variant", $"pert1={missing}"], $"agentrefine score robustness: --variant pert1: '{missing}' does not exist."),
        };

        foreach (var (args, message) in cases)
        {
            var (exit, _, stderr) = Cli.Run(args);
            exit.Should().Be(2, string.Join(' ', args));
            stderr.Should().Be(message + Environment.NewLine);
        }
    }

    [Fact]
    public void A_failed_read_leaves_the_previous_report_and_says_so()
    {
        var report = Write("report.md", "previous report\n");
        var bad = Write("bad.jsonl", File.ReadAllText(Samples) + "{\"task\": \"alfworld\"}\n");

        var (exit, stdout, stderr) = Cli.Run("score", "--episodes", bad, "--output", report, "--chart", Path.Combine(_folder, "curve.svg"));

        exit.Should().Be(2);
        stdout.Should().BeEmpty();
        stderr.Should().Be($"agentrefine score: bad.jsonl:11: 'id' is missing or not an integer.{Environment.NewLine}agentrefine score: nothing written; '{report}' left as it was.{Environment.NewLine}");
        File.ReadAllText(report).Should().Be("previous report\n");
        Contents().Should().Equal("bad.jsonl", "report.md");
    }

    [Theory]
    [InlineData("markdown")]
    [InlineData("json")]
    [InlineData("csv")]
    public void The_report_file_holds_exactly_what_standard_output_would(string format)
    {
        var report = Write("report." + format, "previous");
        var printed = Cli.Run("score", "--episodes", Samples, "--format", format, "--held-in", "alfworld");

        var (exit, stdout, stderr) = Cli.Run("score", "--episodes", Samples, "--format", format, "--held-in", "alfworld", "--output", report);

        exit.Should().Be(0, stderr);
        File.ReadAllText(report).ReplaceLineEndings("\n").Should().Be(printed.Out);
        stdout.Should().Be($"Scored 10 of 10 episodes (2 runs); report written to '{report}'.\n");
        Contents().Should().Equal("report." + format);
    }

    [Fact]
    public async Task Ctrl_C_prints_one_line_exits_130_and_leaves_the_outputs_as_they_were()
    {
        var report = Write("report.json", "previous");
        using var interrupted = new CancellationTokenSource();
        await interrupted.CancelAsync();

        var (exit, stdout, stderr) = await CliRun.RunAsync(CliEnvironment.Plain, interrupted.Token, "score", "--episodes", Samples, "--format", "json", "--output", report, "--chart", Path.Combine(_folder, "curve.svg"));

        exit.Should().Be(130);
        stdout.Should().BeEmpty();
        stderr.Should().Be($"agentrefine score: interrupted; nothing written; '{report}' left as it was.\n");
        File.ReadAllText(report).Should().Be("previous");
        Contents().Should().Equal("report.json");
    }

    [Theory]
    [InlineData("score", "--episodes")]
    [InlineData("score robustness", "--variant")]
    [InlineData("score judge", "--labels")]
    [InlineData("score hotpotqa", "--predictions")]
    public async Task Ctrl_C_on_any_score_command_is_one_line_and_exit_130(string command, string option)
    {
        var input = option switch
        {
            "--labels" => Write("labels.jsonl", "{\"judge\": true, \"human\": true}\n"),
            "--predictions" => Write("pred.jsonl", "{\"id\": \"q1\", \"answer\": \"Paris\"}\n"),
            _ => Samples,
        };
        string[] args = [.. command.Split(' '), .. option switch
        {
            "--variant" => new[] { "--variant", $"a={input}" },
            "--predictions" => ["--predictions", input, "--gold", input],
            _ => [option, input],
        }];
        using var interrupted = new CancellationTokenSource();
        await interrupted.CancelAsync();

        var (exit, stdout, stderr) = await CliRun.RunAsync(CliEnvironment.Plain, interrupted.Token, args);

        exit.Should().Be(130);
        stdout.Should().BeEmpty();
        stderr.Should().Be($"agentrefine {command}: interrupted; nothing written.\n");
    }

    [Fact]
    public void A_byte_order_mark_is_accepted_in_every_score_input()
    {
        static byte[] Bom(string text) => [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(text)];
        var episodes = Path.Combine(_folder, "episodes.jsonl");
        File.WriteAllBytes(episodes, Bom(File.ReadAllText(Samples)));
        var labels = Path.Combine(_folder, "labels.jsonl");
        File.WriteAllBytes(labels, Bom("{\"judge\": true, \"human\": true}\n{\"judge\": false, \"human\": true}\n"));
        var predictions = Path.Combine(_folder, "pred.jsonl");
        File.WriteAllBytes(predictions, Bom("{\"id\": \"q1\", \"answer\": \"Paris\"}\n"));
        var official = Path.Combine(_folder, "pred.json");
        File.WriteAllBytes(official, Bom("{\"answer\": {\"q1\": \"Paris\"}}"));
        Directory.CreateDirectory(Path.Combine(_folder, "run", "logs"));
        File.WriteAllBytes(Path.Combine(_folder, "run", "logs", "alfworld.jsonl"), Bom("{\n  \"id\": 1, \"task_name\": \"alfworld\", \"is_done\": true, \"progress_rate\": 1.0, \"grounding_acc\": 1.0\n}\n"));

        Cli.Run("score", "--episodes", episodes, "--format", "csv").Should().Be(Cli.Run("score", "--episodes", Samples, "--format", "csv"));
        var logs = Cli.Run("score", "--agentboard-logs", Path.Combine(_folder, "run"), "--format", "csv");
        logs.Exit.Should().Be(0, logs.Err);
        logs.Out.Should().Contain("default,alfworld,1,1,1,1,");
        var judge = Cli.Run("score", "judge", "--labels", labels);
        judge.Exit.Should().Be(0, judge.Err);
        judge.Out.Should().StartWith("items: 2 ");
        Cli.Run("score", "hotpotqa", "--predictions", predictions, "--gold", predictions).Out.Should().Be("questions: 1, exact match: 100.00, F1: 100.00, missing predictions: 0\n");
        Cli.Run("score", "hotpotqa", "--predictions", official, "--gold", predictions).Out.Should().Be("questions: 1, exact match: 100.00, F1: 100.00, missing predictions: 0\n");
        Cli.Run("score", "robustness", "--variant", $"a={episodes}").Exit.Should().Be(0);
    }

    [Fact]
    public void Warnings_stop_after_a_hundred_and_say_how_many_more_there_were()
    {
        var path = Write("e.jsonl", string.Concat(Enumerable.Range(1, 150).Select(i => $"{{\"task\": \"webshop\", \"id\": {i}, \"subgoals\": [], \"steps\": []}}\n")));

        var (exit, _, stderr) = Cli.Run("score", "--episodes", path);

        exit.Should().Be(0);
        var lines = stderr.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
        lines.Should().HaveCount(101);
        lines[99].Should().StartWith("agentrefine score: warning: default/webshop/100: no scoring rule for task 'webshop'");
        lines[100].Should().Be("agentrefine score: warning: … and 50 more warnings (only the first 100 are shown).");
    }
}
