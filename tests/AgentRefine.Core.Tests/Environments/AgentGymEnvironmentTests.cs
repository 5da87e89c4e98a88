using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using AgentRefine.Agents;
using AgentRefine.Core.Tests.Fakes;
using AgentRefine.Environments;
using AgentRefine.Scoring;
using AgentRefine.Testing;

namespace AgentRefine.Core.Tests.Environments;

public sealed class AgentGymEnvironmentTests : IAsyncLifetime, IDisposable
{
    private const string Forward = "Thought: on.\nAction: move forward";
    private readonly string _folder = Directory.CreateTempSubdirectory("agentrefine-gym-").FullName;
    private LoopbackAgentGymServer _server = null!;

    public async Task InitializeAsync() => _server = await LoopbackAgentGymServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private AgentGymEnvironment Environment(string family = "babyai", int maxRetries = 3) =>
        new(new AgentGymOptions { Server = _server.Address, Environment = family, MaxRetries = maxRetries, RetryDelay = TimeSpan.FromMilliseconds(10) });

    [Fact]
    public async Task One_episode_creates_resets_steps_and_closes_its_own_id()
    {
        using var environment = Environment();

        var episode = (await new AgentRunner(new FuncChatClient((_, _) => Forward), new AgentRunnerOptions { Run = "m" }).RunAsync(environment, 1)).Episode!;

        episode.Task.Should().Be("agentgym/babyai");
        episode.Goal.Should().Be("reach the end of the corridor");
        episode.Success.Should().BeTrue();
        episode.EndReason.Should().Be(EpisodeEndReasons.Done);
        episode.Steps.Select(s => (s.Action, s.Observation, s.Valid, s.Done, s.Progress)).Should().Equal(
            ("move forward", "You are at 1 of 2.\nAvailable actions: [\"move forward\", \"look\"]", true, false, 0.5),
            ("move forward", "You are at 2 of 2.\nAvailable actions: [\"move forward\", \"look\"]", true, true, 1.0));
        _server.Requests.Select(r => r.Path).Should().Equal("create", "reset", "step", "step", "close");
        _server.Requests.Select(r => r.Body!.ToJsonString()).Should().Equal(
            "{}",
            "{\"data_idx\":1,\"id\":0}",
            "{\"id\":0,\"action\":\"move forward\"}",
            "{\"id\":0,\"action\":\"move forward\"}",
            "{\"id\":0}");
        _server.OpenIds.Should().BeEmpty();
    }

    [Fact]
    public async Task The_first_observation_goal_instruction_and_actions_reach_the_agent()
    {
        using var environment = Environment();

        await using var episode = await environment.StartAsync(0);

        episode.Start.Observation.Should().Be("Your goal: reach the end of the corridor\nYou are at 0 of 1.\nAvailable actions: [\"move forward\", \"look\"]");
        episode.Start.Goal.Should().Be("reach the end of the corridor");
        episode.Start.Instruction.Should().StartWith("You are in a grid-world room");
        episode.Start.Actions.Select(a => a.Template).Should().Equal("turn right", "turn left", "move forward", "go to <obj> <id>", "pick up <obj> <id>", "go through <door> <id>", "toggle and go through <door> <id>", "toggle");
    }

    [Fact]
    public async Task BabyAI_actions_are_cleaned_and_actions_outside_the_list_are_invalid()
    {
        using var environment = Environment();
        await using var episode = await environment.StartAsync(3);

        var cleaned = await episode.StepAsync("  move   forward!! ");
        var rejected = await episode.StepAsync("jump");

        _server.Requests.Where(r => r.Path == "step").Select(r => r.Body!["action"]!.GetValue<string>()).Should().Equal("move forward", "jump");
        cleaned.Should().Be(new EnvironmentStepResult("You are at 1 of 4.\nAvailable actions: [\"move forward\", \"look\"]", false) { Valid = true, Progress = 0.25, Success = false });
        rejected.Valid.Should().BeFalse();
        rejected.Observation.Should().Be("You cannot do that here.\nAvailable actions: [\"move forward\", \"look\"]");
    }

    [Fact]
    public async Task Concurrent_episodes_each_get_their_own_id_and_every_id_is_closed()
    {
        _server.StepLatency = TimeSpan.FromMilliseconds(15);
        using var environment = Environment();
        var run = new EvaluationRun(new AgentRunner(new FuncChatClient((_, _) => Forward), new AgentRunnerOptions { Run = "m", MaxConcurrency = 4 }));

        var summary = await run.RunAsync(environment, Enumerable.Range(0, 10).Select(i => (long)i), Path.Combine(_folder, "e.jsonl"));

        summary.IsComplete.Should().BeTrue();
        summary.Counts.Succeeded.Should().Be(10);
        _server.Count("create").Should().Be(10);
        _server.Count("close").Should().Be(10);
        _server.Resets.Select(r => r.Id).Should().OnlyHaveUniqueItems();
        _server.Resets.Select(r => r.DataIndex).Order().Should().Equal(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        _server.MaxOpen.Should().Be(4);
        _server.OpenIds.Should().BeEmpty();
        var steps = _server.Requests.Where(r => r.Path == "step").GroupBy(r => r.Body!["id"]!.GetValue<long>()).ToDictionary(g => g.Key, g => g.Count());
        steps.Should().HaveCount(10);
        foreach (var (id, index) in _server.Resets)
        {
            steps[id].Should().Be((int)index + 1);
        }
    }

    [Fact]
    public async Task Transient_server_errors_are_retried()
    {
        using var environment = Environment();
        _server.Fail("step", 2, 503);

        var episode = (await new AgentRunner(new FuncChatClient((_, _) => Forward)).RunAsync(environment, 0)).Episode!;

        episode.EndReason.Should().Be(EpisodeEndReasons.Done);
        episode.Steps.Should().HaveCount(1);
        _server.Count("step").Should().Be(3);
    }

    [Fact]
    public async Task A_server_error_that_outlasts_the_retries_ends_the_episode_and_still_closes_the_id()
    {
        using var environment = Environment(maxRetries: 2);
        _server.Fail("step", 10, 502);

        var episode = (await new AgentRunner(new FuncChatClient((_, _) => Forward)).RunAsync(environment, 0)).Episode!;

        episode.EndReason.Should().Be(EpisodeEndReasons.EnvironmentFailed);
        episode.Error.Should().Be($"step 0: the environment failed: AgentGym server {_server.Address.ToString().TrimEnd('/')}: POST /step failed: HTTP 502: {{\"detail\": \"injected failure\"}} (after 2 retries).");
        _server.Count("step").Should().Be(3);
        _server.Count("close").Should().Be(1);
        _server.OpenIds.Should().BeEmpty();
    }

    [Fact]
    public async Task A_client_error_is_not_retried()
    {
        using var environment = Environment();
        _server.Fail("reset", 1, 422);

        var result = await new AgentRunner(new FuncChatClient((_, _) => Forward)).RunAsync(environment, 0);

        result.Failure.Should().Be($"the environment could not start task 0: AgentGym server {_server.Address.ToString().TrimEnd('/')}: POST /reset answered HTTP 422: {{\"detail\": \"injected failure\"}}.");
        _server.Count("reset").Should().Be(1);
        _server.Count("close").Should().Be(1);
    }

    [Fact]
    public async Task An_in_band_error_on_reset_means_the_episode_cannot_run_and_the_id_is_closed()
    {
        using var environment = Environment();

        var result = await new AgentRunner(new FuncChatClient((_, _) => Forward)).RunAsync(environment, 99);

        result.Episode.Should().BeNull();
        result.StopsRun.Should().BeFalse();
        result.Failure.Should().Be($"the environment could not start task 99: AgentGym server {_server.Address.ToString().TrimEnd('/')}: POST /reset answered an error: list index out of range: 99");
        _server.OpenIds.Should().BeEmpty();
    }

    [Fact]
    public async Task A_server_that_is_not_running_is_named_within_seconds()
    {
        var port = FreePort();
        using var environment = new AgentGymEnvironment(new AgentGymOptions { Server = new Uri($"http://127.0.0.1:{port}"), Environment = "babyai" });
        var clock = Stopwatch.StartNew();

        var check = () => environment.CheckServerAsync();
        var start = async () => await environment.StartAsync(0);

        (await check.Should().ThrowAsync<AgentEnvironmentException>()).Which.Should().BeEquivalentTo(new
        {
            IsFatal = true,
            Message = $"the AgentGym server http://127.0.0.1:{port} cannot be reached (GET /: connection refused); is it running, and is --server right?",
        });
        (await start.Should().ThrowAsync<AgentEnvironmentException>()).Which.IsFatal.Should().BeTrue();
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(5));

        var summary = await new EvaluationRun(new AgentRunner(new FuncChatClient((_, _) => Forward), new AgentRunnerOptions { MaxConcurrency = 1 })).RunAsync(environment, [0, 1, 2], Path.Combine(_folder, "down.jsonl"));
        summary.StoppedBy.Should().Be($"the environment could not start task 0: the AgentGym server http://127.0.0.1:{port} cannot be reached (POST /create: connection refused); is it running, and is --server right?");
    }

    [Fact]
    public async Task The_check_passes_for_a_running_server()
    {
        using var environment = Environment();

        await environment.CheckServerAsync();

        environment.IsKnownEnvironment.Should().BeTrue();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
