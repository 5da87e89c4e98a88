using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using AgentRefine.Testing;

namespace AgentRefine.Cli.Tests;

public sealed class EvaluateCommandTests : IAsyncLifetime, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("agentrefine-evaluate-").FullName;
    private LoopbackOpenAIServer _model = null!;
    private LoopbackAgentGymServer _gym = null!;

    public async Task InitializeAsync()
    {
        _model = await LoopbackOpenAIServer.StartAsync();
        _gym = await LoopbackAgentGymServer.StartAsync();
        _model.Responder = (body, context) => LoopbackOpenAIServer.WriteCompletionAsync(context, Reply(body), model: body["model"]!.GetValue<string>());
    }

    public async Task DisposeAsync()
    {
        await _model.DisposeAsync();
        await _gym.DisposeAsync();
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Output => Path.Combine(_folder, "episodes.jsonl");

    /// <summary>The agent always moves forward (or looks, in a script); the Dungeon Master opens the game, then completes it.</summary>
    private static string Reply(JsonObject body)
    {
        var messages = body["messages"]!.AsArray();
        var last = messages[^1]!["content"]!.GetValue<string>();
        if (body["model"]!.GetValue<string>() != "dm-model")
        {
            return last.Contains("Goal: Scan the 1923 harbor photograph", StringComparison.Ordinal) ? "Thought: look first.\nAction: look" : "Thought: onwards.\nAction: move forward";
        }

        return last.Contains("Start the game", StringComparison.Ordinal)
            ? """{"Thought": "t", "Observation": "You stand at the front desk.", "parameter_error": false, "place_error": false, "logic_error": false, "task_completed": false, "conditions_met": []}"""
            : """{"Thought": "t", "Observation": "Somehow everything is done.", "parameter_error": false, "place_error": false, "logic_error": false, "task_completed": true, "conditions_met": [1, 2]}""";
    }

    /// <summary>The agentgym command line; <paramref name="overrides"/> (option, value pairs) replace or add options.</summary>
    private string[] AgentGym(params string[] overrides)
    {
        var options = new List<(string Name, string Value)>
        {
            ("--server", _gym.Address.ToString()), ("--env", "babyai"), ("--ids", "0-3"), ("--endpoint", _model.Endpoint.ToString()),
            ("--model", "agent-model"), ("--concurrency", "2"), ("--output", Output),
        };
        for (var i = 0; i + 1 < overrides.Length; i += 2)
        {
            var at = options.FindIndex(o => o.Name == overrides[i]);
            if (at >= 0)
            {
                options[at] = (overrides[i], overrides[i + 1]);
            }
            else
            {
                options.Add((overrides[i], overrides[i + 1]));
            }
        }

        return ["evaluate", "agentgym", .. options.SelectMany(o => new[] { o.Name, o.Value })];
    }

    [Fact]
    public void AgentGym_episodes_are_run_written_scored_and_read_unchanged_by_score()
    {
        var (exit, stdout, stderr) = Cli.Run(AgentGym());

        exit.Should().Be(0, stderr);
        stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(line => !line.Contains(" of 4 episodes (", StringComparison.Ordinal)).Should().BeEmpty("stderr has only progress lines (a slow machine writes some)");
        stdout.Should().Contain("Ran 4 episodes (4 successful, 0 ended by a failure); 0 were already in the output; 0 could not run.\n");
        stdout.Should().Contain("| run | agentgym/babyai Success | agentgym/babyai Progress | average Success | average Progress |\n|---|---:|---:|---:|---:|\n| agent-model | 100.0 | 100.0 | 100.0 | 100.0 |\n");
        stdout.Should().Contain("not AgentBoard's progress rate");
        File.ReadAllLines(Output).Should().HaveCount(4);
        _gym.Count("create").Should().Be(4);
        _gym.Count("close").Should().Be(4);

        var score = Cli.Run("score", "--episodes", Output);

        score.Exit.Should().Be(0, score.Err);
        score.Out.Should().Be("| run | agentgym/babyai Success | agentgym/babyai Progress | average Success | average Progress |\n|---|---:|---:|---:|---:|\n| agent-model | 100.0 | 100.0 | 100.0 | 100.0 |\n");
        score.Err.Should().Contain("not AgentBoard's progress rate");

        var json = Cli.Run("score", "--episodes", Output, "--format", "json");
        var tasks = JsonNode.Parse(json.Out)!["runs"]!["agent-model"]!["tasks"]!["agentgym/babyai"]!;
        tasks["episodes"]!.GetValue<int>().Should().Be(4);
        tasks["grounding"]!.GetValue<double>().Should().Be(1.0);
    }

    [Fact]
    public void A_rerun_resumes_and_runs_nothing_twice()
    {
        Cli.Run(AgentGym()).Exit.Should().Be(0);
        var requests = _model.Requests.Count;

        var (exit, stdout, _) = Cli.Run(AgentGym());

        exit.Should().Be(0);
        stdout.Should().Contain("Ran 0 episodes (0 successful, 0 ended by a failure); 4 were already in the output; 0 could not run.\n");
        _model.Requests.Count.Should().Be(requests);
        File.ReadAllLines(Output).Should().HaveCount(4);
    }

    [Fact]
    public void The_agentboard_layout_sends_vanilla_agents_prompt()
    {
        _model.Responder = (body, context) => LoopbackOpenAIServer.WriteCompletionAsync(context, "move forward");

        var (exit, _, stderr) = Cli.Run(AgentGym("--prompt", "agentboard", "--ids", "0"));

        exit.Should().Be(0, stderr);
        var request = _model.Requests.Single().Body;
        request["stop"]!.AsArray().Select(s => s!.GetValue<string>()).Should().Equal("\n");
        request["temperature"]!.GetValue<double>().Should().Be(0);
        request["messages"]![1]!["content"]!.GetValue<string>().Should().EndWith("You should perform actions to accomplish the goal: reach the end of the corridor\nObservation: Your goal: reach the end of the corridor\nYou are at 0 of 1.\nAvailable actions: [\"move forward\", \"look\"]\nAction: ");
    }

    [Fact]
    public void A_server_that_is_not_running_is_named_within_seconds_with_exit_2()
    {
        var clock = Stopwatch.StartNew();
        var port = FreePort();

        var (exit, stdout, stderr) = Cli.Run("evaluate", "agentgym", "--server", $"http://127.0.0.1:{port}", "--env", "babyai", "--ids", "0-39", "--endpoint", _model.Endpoint.ToString(), "--model", "m", "--output", Output);

        exit.Should().Be(2);
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(10));
        stderr.Should().Be($"agentrefine evaluate: the AgentGym server http://127.0.0.1:{port} cannot be reached (GET /: connection refused); is it running, and is --server right?\n");
        File.Exists(Output).Should().BeFalse();
        stdout.Should().BeEmpty();
    }

    [Fact]
    public void A_model_server_that_is_not_running_stops_the_run_with_exit_2()
    {
        var port = FreePort();

        var (exit, _, stderr) = Cli.Run("evaluate", "agentgym", "--server", _gym.Address.ToString(), "--env", "babyai", "--ids", "0-39", "--endpoint", $"http://127.0.0.1:{port}/v1", "--model", "m", "--concurrency", "1", "--output", Output);

        exit.Should().Be(2);
        stderr.Should().StartWith("agentrefine evaluate: stopped: the model call failed: unreachable: ");
        stderr.Should().Contain($"127.0.0.1:{port}");
        File.ReadAllText(Output).Should().BeEmpty();
        _gym.OpenIds.Should().BeEmpty();
    }

    [Theory]
    [InlineData("--ids", "x", "agentrefine: --ids must be task indices and ranges such as 0-39 or 0,3,5-9, found 'x'.")]
    [InlineData("--ids", "9-2", "agentrefine: --ids must be task indices and ranges such as 0-39 or 0,3,5-9, found '9-2'.")]
    [InlineData("--prompt", "chat", "agentrefine: Argument 'chat' not recognized. Must be one of:")]
    [InlineData("--max-steps", "0", "agentrefine: --max-steps must be 1 or more.")]
    [InlineData("--endpoint", "localhost:8000", "agentrefine: --endpoint must be an absolute http or https address, found 'localhost:8000'.")]
    public void Bad_usage_is_exit_2(string option, string value, string message)
    {
        var (exit, _, stderr) = Cli.Run(AgentGym(option, value));

        exit.Should().Be(2);
        stderr.Should().StartWith(message);
    }

    [Fact]
    public void An_output_that_is_a_directory_or_not_an_episodes_file_is_refused()
    {
        Cli.Run(AgentGym("--output", _folder)).Should().Be((2, string.Empty, $"agentrefine evaluate: --output: '{_folder}' is a directory, not a file.\n"));

        File.WriteAllText(Output, "hello\n");
        var (exit, _, stderr) = Cli.Run(AgentGym());
        exit.Should().Be(2);
        stderr.Should().StartWith($"agentrefine evaluate: cannot append to '{Output}': episodes.jsonl:1: invalid JSON");
        File.ReadAllText(Output).Should().Be("hello\n");
    }

    [Fact]
    public void Scripts_are_played_against_a_dungeon_master_model_and_scored()
    {
        var scripts = Path.Combine(AppContext.BaseDirectory, "samples", "verify", "script.json");

        var (exit, stdout, stderr) = Cli.Run("evaluate", "scripts", "--scripts", scripts, "--endpoint", _model.Endpoint.ToString(), "--model", "agent-model", "--dm-model", "dm-model", "--output", Output);

        exit.Should().Be(0, stderr);
        stdout.Should().Contain("| agent-model | 100.0 | 100.0 | 100.0 | 100.0 |\n");
        stdout.Should().Contain("| run | script Success | script Progress |");
        var models = _model.Requests.Select(r => r.Body["model"]!.GetValue<string>()).ToList();
        models.Should().Equal("dm-model", "agent-model", "dm-model");
        Cli.Run("score", "--episodes", Output).Out.Should().Contain("| agent-model | 100.0 | 100.0 | 100.0 | 100.0 |\n");
    }

    [Fact]
    public void Scripts_that_cannot_be_read_are_exit_2()
    {
        var bad = Path.Combine(_folder, "bad.jsonl");
        File.WriteAllText(bad, "not json\n");

        var (exit, _, stderr) = Cli.Run("evaluate", "scripts", "--scripts", bad, "--endpoint", _model.Endpoint.ToString(), "--model", "m", "--dm-model", "dm-model", "--output", Output);

        exit.Should().Be(2);
        stderr.Should().StartWith("agentrefine evaluate: bad.json");
        Cli.Run("evaluate", "scripts", "--scripts", bad, "--endpoint", _model.Endpoint.ToString(), "--model", "m", "--dm-model", "d", "--output", bad).Err
            .Should().Be($"agentrefine evaluate: --output is the same file as --scripts ('{bad}'); refusing to overwrite an input. Choose another --output.\n");
    }

    [Fact]
    public async Task An_interrupted_run_is_exit_1_and_keeps_the_finished_episodes()
    {
        using var cancel = new CancellationTokenSource();
        var calls = 0;
        _model.Responder = (body, context) =>
        {
            if (Interlocked.Increment(ref calls) == 3)
            {
                cancel.Cancel();
            }

            return LoopbackOpenAIServer.WriteCompletionAsync(context, "Action: move forward");
        };

        var (exit, _, stderr) = await CliRun.RunAsync(CliEnvironment.Plain, cancel.Token, AgentGym("--concurrency", "1"));

        exit.Should().Be(1, stderr);
        stderr.Should().Contain($"agentrefine evaluate: interrupted; the episodes finished so far are in '{Output}'; rerun the same command to resume.");
        File.ReadAllLines(Output).Length.Should().BeInRange(1, 2);
        _gym.OpenIds.Should().BeEmpty();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
