using System.Text.Json;

namespace AgentRefine.Cli.Tests;

public class VerifyCommandTests
{
    private static string Sample(string name) => Path.Combine(AppContext.BaseDirectory, "samples", "verify", name);

    private static (int Exit, string Out, string Err) Run(params string[] args) => Cli.Run(args);

    private static JsonElement Json(string text)
    {
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    [Fact]
    public void Accepted_prints_the_contract_and_exits_0()
    {
        var (exit, output, error) = Run("verify", "--script", Sample("script.json"), "--trajectory", Sample("trajectory.json"));

        exit.Should().Be(0);
        error.Should().BeEmpty();
        output.ReplaceLineEndings("\n").Should().Be("""
            {
              "outcome": "accepted",
              "keptTurns": 23,
              "errorRefineTurns": 3,
              "issues": []
            }

            """);
    }

    [Fact]
    public void Script_only_checks_the_script()
    {
        var (exit, output, _) = Run("verify", "--script", Sample("script.json"));
        exit.Should().Be(0);
        Json(output).GetProperty("outcome").GetString().Should().Be("accepted");
        Json(output).GetProperty("keptTurns").GetInt32().Should().Be(0);
    }

    [Theory]
    [InlineData("variants/trajectory-truncated.json", "continue", 9, 2, "json-format", 9)]
    [InlineData("variants/trajectory-turn-keys.json", "continue", 5, 1, "turn-keys", 5)]
    [InlineData("variants/trajectory-turn-order.json", "continue", 7, 1, "turn-order", 7)]
    [InlineData("variants/trajectory-action-unmatched.json", "continue", 13, 2, "action-unmatched", 13)]
    [InlineData("variants/trajectory-not-completed.json", "continue", 21, 3, "not-completed", null)]
    [InlineData("variants/trajectory-one-refinement.json", "regenerate", 0, 1, "too-few-refinements", null)]
    public void Trajectory_verdicts_exit_1_with_the_deciding_issue(string trajectory, string outcome, int kept, int errorRefine, string code, int? turn)
    {
        var (exit, output, error) = Run("verify", "--script", Sample("script.json"), "--trajectory", Sample(trajectory));

        exit.Should().Be(1);
        error.Should().BeEmpty();
        var json = Json(output);
        json.GetProperty("outcome").GetString().Should().Be(outcome);
        json.GetProperty("keptTurns").GetInt32().Should().Be(kept);
        json.GetProperty("errorRefineTurns").GetInt32().Should().Be(errorRefine);
        var issue = json.GetProperty("issues")[0];
        issue.GetProperty("code").GetString().Should().Be(code);
        if (turn is null)
        {
            issue.GetProperty("turn").ValueKind.Should().Be(JsonValueKind.Null);
        }
        else
        {
            issue.GetProperty("turn").GetInt32().Should().Be(turn);
        }

        issue.GetProperty("message").GetString().Should().NotBeNullOrWhiteSpace();
        json.EnumerateObject().Select(p => p.Name).Should().Equal("outcome", "keptTurns", "errorRefineTurns", "issues");
        issue.EnumerateObject().Select(p => p.Name).Should().Equal("code", "turn", "message");
    }

    [Theory]
    [InlineData("variants/script-not-json.txt", "script-json")]
    [InlineData("variants/script-missing-keys.json", "script-missing-key")]
    [InlineData("variants/script-regex-invalid.json", "regex-invalid")]
    [InlineData("variants/script-placeholder-mismatch.json", "placeholder-mismatch")]
    [InlineData("variants/script-regex-timeout.json", "regex-timeout")]
    [InlineData("variants/script-action-self-check.json", "action-self-check")]
    public void A_failing_script_is_regenerate_script_whatever_the_trajectory(string script, string code)
    {
        var (exit, output, _) = Run("verify", "--script", Sample(script), "--trajectory", Sample("trajectory.json"));

        exit.Should().Be(1);
        var json = Json(output);
        json.GetProperty("outcome").GetString().Should().Be("regenerate-script");
        json.GetProperty("keptTurns").GetInt32().Should().Be(0);
        json.GetProperty("issues")[0].GetProperty("code").GetString().Should().Be(code);
        json.GetProperty("issues")[0].GetProperty("turn").ValueKind.Should().Be(JsonValueKind.Null);
    }

    [Fact]
    public void Min_error_refine_is_honoured()
    {
        Run("verify", "--script", Sample("script.json"), "--trajectory", Sample("trajectory.json"), "--min-error-refine", "4").Exit.Should().Be(1);
        Run("verify", "--script", Sample("script.json"), "--trajectory", Sample("variants/trajectory-one-refinement.json"), "--min-error-refine", "1").Exit.Should().Be(0);
    }

    [Fact]
    public void Non_backtracking_runs_the_catastrophic_code_without_a_timeout()
    {
        var (_, output, _) = Run("verify", "--script", Sample("variants/script-regex-timeout.json"), "--non-backtracking");
        Json(output).GetProperty("issues")[0].GetProperty("code").GetString().Should().Be("action-self-check");
    }

    [Fact]
    public void A_missing_file_exits_2_naming_the_file()
    {
        var missing = Path.Combine(Path.GetTempPath(), "agentrefine-no-such-file.json");
        var (exit, output, error) = Run("verify", "--script", Sample("script.json"), "--trajectory", missing);

        exit.Should().Be(2);
        output.Should().BeEmpty();
        error.Should().Be($"agentrefine verify: cannot read the trajectory file '{missing}': it does not exist.{Environment.NewLine}");
    }

    [Fact]
    public void A_directory_instead_of_a_file_exits_2()
    {
        var (exit, _, error) = Run("verify", "--script", AppContext.BaseDirectory);
        exit.Should().Be(2);
        error.Should().StartWith("agentrefine verify: cannot read the script file");
    }

    [Theory]
    [InlineData(new[] { "verify" }, "agentrefine: Option '--script' is required.")]
    [InlineData(new[] { "verify", "--script", "x.json", "--min-error-refine", "-1" }, "agentrefine: --min-error-refine must be 0 or more.")]
    [InlineData(new[] { "verify", "--script", "x.json", "--min-error-refine", "two" }, "agentrefine: Cannot parse argument 'two' for option '--min-error-refine': expected a whole number.")]
    [InlineData(new[] { "verify", "--script", "x.json", "--regex-timeout-ms", "0" }, "agentrefine: --regex-timeout-ms must be 1 or more.")]
    public void Bad_usage_exits_2_with_the_reason_on_stderr(string[] args, string firstLine)
    {
        var (exit, output, error) = Run(args);
        exit.Should().Be(2);
        output.Should().BeEmpty();
        error.Split(Environment.NewLine)[0].Should().Be(firstLine);
    }

    [Fact]
    public void An_unknown_command_exits_2()
    {
        var (exit, _, error) = Run("frobnicate");
        exit.Should().Be(2);
        error.Should().Contain("agentrefine: Unrecognized command or argument 'frobnicate'.");
    }

    [Fact]
    public void Help_lists_the_verify_options()
    {
        var (exit, output, _) = Run("verify", "--help");
        exit.Should().Be(0);
        output.Should().Contain("--script").And.Contain("--trajectory").And.Contain("--min-error-refine").And.Contain("--regex-timeout-ms").And.Contain("--non-backtracking");
    }

    [Fact]
    public void The_built_tool_runs_as_a_process()
    {
        // The CLI's own build output (the test folder's copy carries the test project's runtime settings).
        var tool = Path.Combine(AppContext.BaseDirectory.Replace(Path.Combine("tests", "AgentRefine.Cli.Tests"), Path.Combine("src", "AgentRefine.Cli"), StringComparison.Ordinal), "agentrefine.dll");
        File.Exists(tool).Should().BeTrue(tool);
        var start = new System.Diagnostics.ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[] { tool, "verify", "--script", Sample("script.json"), "--trajectory", Sample("variants/trajectory-fenced.md") })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = System.Diagnostics.Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit(60_000).Should().BeTrue();
        process.ExitCode.Should().Be(0);
        Json(output).GetProperty("outcome").GetString().Should().Be("accepted");
    }
}
