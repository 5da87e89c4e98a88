using AgentRefine.Agents;
using AgentRefine.Core.Tests.Fakes;
using AgentRefine.Llm;
using AgentRefine.Scoring;

namespace AgentRefine.Core.Tests.Agents;

public sealed class EvaluationRunTests : IDisposable
{
    private const string Forward = "Thought: on.\nAction: move forward";
    private readonly string _folder = Directory.CreateTempSubdirectory("agentrefine-eval-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Output => Path.Combine(_folder, "episodes.jsonl");

    private static EvaluationRun Run(FuncChatClient model, int concurrency = 4, int maxSteps = 30) =>
        new(new AgentRunner(model, new AgentRunnerOptions { Run = "model-a", MaxConcurrency = concurrency, MaxSteps = maxSteps }));

    [Fact]
    public async Task Runs_episodes_concurrently_and_writes_one_line_each_in_the_scoring_contract()
    {
        var model = new FuncChatClient((_, _) => Forward) { Latency = TimeSpan.FromMilliseconds(20) };
        var environment = new CorridorEnvironment();
        var reports = new List<EvaluationProgress>();

        var summary = await Run(model).RunAsync(environment, Enumerable.Range(0, 8).Select(i => (long)i), Output, new SyncProgress(reports.Add));

        summary.IsComplete.Should().BeTrue();
        summary.Counts.Should().Be(new EvaluationProgress(8, 0, 8, 0, 0, 8));
        reports.Should().HaveCount(9);
        reports[0].Should().Be(new EvaluationProgress(8, 0, 0, 0, 0, 0));
        environment.MaxOpen.Should().Be(4);
        environment.Disposed.Should().Be(8);
        var episodes = await EpisodeReader.ReadAsync(Output).ToListAsync();
        episodes.Select(e => e.Id).Order().Should().Equal(0, 1, 2, 3, 4, 5, 6, 7);
        episodes.Should().AllSatisfy(e => e.Steps.Should().HaveCount((int)e.Id + 1));
        var report = new AgentBoardScorer().Score(episodes);
        report.Runs["model-a"].Tasks["corridor"].Should().BeEquivalentTo(new { Episodes = 8, Success = 1.0, Progress = 1.0, Grounding = 1.0 });
        report.Episodes.Should().AllSatisfy(s => s.IsEnvironmentProgress.Should().BeTrue());
    }

    [Fact]
    public async Task Resumes_by_skipping_episodes_already_in_the_output()
    {
        var environment = new CorridorEnvironment();
        await Run(new FuncChatClient((_, _) => Forward)).RunAsync(environment, [0, 1, 2], Output);
        var before = await File.ReadAllTextAsync(Output);

        var model = new FuncChatClient((_, _) => Forward);
        var summary = await Run(model).RunAsync(environment, [0, 1, 2, 3, 3], Output);

        summary.Counts.Should().Be(new EvaluationProgress(4, 3, 1, 0, 0, 1));
        model.Requests.Should().HaveCount(4);
        (await File.ReadAllTextAsync(Output)).Should().StartWith(before);
        (await EpisodeReader.ReadAsync(Output).ToListAsync()).Select(e => e.Id).Should().BeEquivalentTo([0L, 1, 2, 3]);
    }

    [Fact]
    public async Task Another_run_name_or_task_in_the_output_is_not_a_reason_to_skip()
    {
        var other = new Episode("model-b", "corridor", 0, null, "g", [], []).ToJson() + "\n" + new Episode("model-a", "elsewhere", 0, null, "g", [], []).ToJson() + "\n";
        await File.WriteAllTextAsync(Output, other);

        var summary = await Run(new FuncChatClient((_, _) => Forward)).RunAsync(new CorridorEnvironment(), [0], Output);

        summary.Counts.Finished.Should().Be(1);
        (await EpisodeReader.ReadAsync(Output).ToListAsync()).Should().HaveCount(3);
    }

    [Fact]
    public async Task A_torn_last_line_is_removed_and_its_episode_runs_again()
    {
        await Run(new FuncChatClient((_, _) => Forward)).RunAsync(new CorridorEnvironment(), [0], Output);
        var whole = await File.ReadAllTextAsync(Output);
        await File.AppendAllTextAsync(Output, "{\"run\": \"model-a\", \"task\": \"corr");

        var summary = await Run(new FuncChatClient((_, _) => Forward)).RunAsync(new CorridorEnvironment(), [0, 1], Output);

        summary.TornLinesRemoved.Should().Be(1);
        summary.Counts.Should().Be(new EvaluationProgress(2, 1, 1, 0, 0, 1));
        var text = await File.ReadAllTextAsync(Output);
        text.Should().StartWith(whole);
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().HaveCount(2);
    }

    [Fact]
    public async Task A_last_episode_without_a_line_break_is_kept()
    {
        await File.WriteAllTextAsync(Output, new Episode("model-a", "corridor", 0, null, "g", [], []).ToJson());

        var summary = await Run(new FuncChatClient((_, _) => Forward)).RunAsync(new CorridorEnvironment(), [0, 1], Output);

        summary.Counts.Should().Be(new EvaluationProgress(2, 1, 1, 0, 0, 1));
        (await EpisodeReader.ReadAsync(Output).ToListAsync()).Select(e => e.Id).Should().Equal(0, 1);
    }

    [Fact]
    public async Task An_output_that_is_not_an_episodes_file_is_refused_untouched()
    {
        await File.WriteAllTextAsync(Output, "{\"id\": \"p-1\", \"script\": {}}\n");

        var run = () => Run(new FuncChatClient((_, _) => Forward)).RunAsync(new CorridorEnvironment(), [0], Output);

        (await run.Should().ThrowAsync<InvalidDataException>()).WithMessage("episodes.jsonl:1: 'task' is missing or not a string.");
        (await File.ReadAllTextAsync(Output)).Should().Be("{\"id\": \"p-1\", \"script\": {}}\n");
    }

    [Fact]
    public async Task Episodes_that_cannot_start_are_not_written_and_are_named()
    {
        var environment = new CorridorEnvironment { FailingStarts = [1] };

        var summary = await Run(new FuncChatClient((_, _) => Forward)).RunAsync(environment, [0, 1, 2], Output);

        summary.IsComplete.Should().BeFalse();
        summary.Counts.Should().Be(new EvaluationProgress(3, 0, 2, 0, 1, 2));
        summary.Problems.Should().Equal([new KeyValuePair<long, string>(1, "the environment could not start task 1: no corridor 1")]);
        (await EpisodeReader.ReadAsync(Output).ToListAsync()).Select(e => e.Id).Order().Should().Equal(0, 2);
    }

    [Fact]
    public async Task Episodes_ended_by_a_model_failure_are_written_with_their_reason_and_counted()
    {
        var model = new FuncChatClient((messages, _) => messages[0].Text!.Contains("0 of 2", StringComparison.Ordinal) ? throw new TimeoutException("slow") : Forward);

        var summary = await Run(model).RunAsync(new CorridorEnvironment(), [0, 1], Output);

        summary.Counts.Should().Be(new EvaluationProgress(2, 0, 2, 1, 0, 1));
        summary.Problems.Should().Equal([new KeyValuePair<long, string>(1, "step 0: the model call failed: timeout: slow")]);
        var failed = (await EpisodeReader.ReadAsync(Output).ToListAsync()).Single(e => e.Id == 1);
        failed.EndReason.Should().Be(EpisodeEndReasons.ModelFailed);
        failed.Error.Should().Be("step 0: the model call failed: timeout: slow");
    }

    [Fact]
    public async Task A_model_that_cannot_be_used_stops_the_run()
    {
        var model = new FuncChatClient((_, _) => throw new LlmTransportException("The model server answered 404: no such model.", 404));
        var environment = new CorridorEnvironment();

        var summary = await Run(model, concurrency: 1).RunAsync(environment, Enumerable.Range(0, 20).Select(i => (long)i), Output);

        summary.StoppedBy.Should().Be("the model call failed: HTTP 404: The model server answered 404: no such model.");
        summary.IsComplete.Should().BeFalse();
        model.Requests.Should().HaveCount(1);
        environment.Started.Should().Be(environment.Disposed);
        (await File.ReadAllTextAsync(Output)).Should().BeEmpty();
    }

    [Fact]
    public async Task An_unreachable_environment_stops_the_run()
    {
        var environment = new CorridorEnvironment { FailingStarts = [0, 1, 2, 3], Unreachable = true };

        var summary = await Run(new FuncChatClient((_, _) => Forward), concurrency: 1).RunAsync(environment, [0, 1, 2, 3], Output);

        summary.StoppedBy.Should().Be("the environment could not start task 0: no corridor 0");
        summary.Counts.NotRun.Should().Be(0);
    }

    [Fact]
    public async Task Cancellation_keeps_what_was_written_and_reports_an_interruption()
    {
        using var cancel = new CancellationTokenSource();
        var model = new FuncChatClient((messages, _) =>
        {
            if (messages[0].Text!.Contains("0 of 3", StringComparison.Ordinal))
            {
                cancel.Cancel();
            }

            return Forward;
        });

        var summary = await Run(model, concurrency: 1).RunAsync(new CorridorEnvironment(), [0, 1, 2, 3], Output, cancellationToken: cancel.Token);

        summary.Interrupted.Should().BeTrue();
        summary.IsComplete.Should().BeFalse();
        (await EpisodeReader.ReadAsync(Output).ToListAsync()).Select(e => e.Id).Should().Equal(0, 1);
    }

    private sealed class SyncProgress(Action<EvaluationProgress> report) : IProgress<EvaluationProgress>
    {
        public void Report(EvaluationProgress value) => report(value);
    }
}
