using AgentRefine.Agents;
using AgentRefine.Core.Tests.Fakes;
using AgentRefine.Llm;
using AgentRefine.Scoring;
using Microsoft.Extensions.AI;

namespace AgentRefine.Core.Tests.Agents;

public sealed class AgentRunnerTests
{
    private const string Forward = "Thought: the end is ahead.\nAction: move forward";
    private const string Look = "Thought: let me look.\nAction: look";

    [Fact]
    public async Task Stops_at_the_step_limit()
    {
        var model = new FuncChatClient((_, _) => Look);
        var environment = new CorridorEnvironment();
        var runner = new AgentRunner(model, new AgentRunnerOptions { MaxSteps = 3, Run = "m" });

        var result = await runner.RunAsync(environment, 4);

        result.Failure.Should().BeNull();
        var episode = result.Episode!;
        episode.Steps.Should().HaveCount(3);
        episode.EndReason.Should().Be(EpisodeEndReasons.MaxSteps);
        episode.Success.Should().BeFalse();
        episode.Steps.Should().AllSatisfy(s => s.Should().Be(new EpisodeStep("look", "You are at 0 of 5.", true, false) { Progress = 0, Reply = Look }));
        model.Requests.Should().HaveCount(3);
        environment.Disposed.Should().Be(1);
    }

    [Fact]
    public async Task The_default_step_limit_is_30()
    {
        var model = new FuncChatClient((_, _) => Look);
        var result = await new AgentRunner(model).RunAsync(new CorridorEnvironment(), 0);

        result.Episode!.Steps.Should().HaveCount(30);
        model.Requests.Should().HaveCount(30);
    }

    [Fact]
    public async Task Ends_when_the_environment_is_done_and_keeps_what_it_reported()
    {
        var model = new FuncChatClient((_, _) => Forward);
        var environment = new CorridorEnvironment();

        var result = await new AgentRunner(model, new AgentRunnerOptions { Run = "m" }).RunAsync(environment, 1);

        result.Episode.Should().BeEquivalentTo(new Episode("m", "corridor", 1, null, "reach the end of the corridor", [],
        [
            new EpisodeStep("move forward", "You are at 1 of 2.", true, false) { Progress = 0.5, Reply = Forward },
            new EpisodeStep("move forward", "You are at 2 of 2.", true, true) { Progress = 1, Reply = Forward },
        ])
        {
            Success = true,
            EndReason = EpisodeEndReasons.Done,
        });
        model.Requests.Should().HaveCount(2);
        environment.Disposed.Should().Be(1);
    }

    [Fact]
    public async Task A_reply_without_an_action_is_an_invalid_step_with_feedback_and_no_environment_call()
    {
        var replies = new Queue<string>(["I am not sure what to do.", Forward]);
        var model = new FuncChatClient((_, _) => replies.Dequeue());
        var environment = new CorridorEnvironment();

        var episode = (await new AgentRunner(model).RunAsync(environment, 0)).Episode!;

        const string Feedback = "Your reply has no 'Action:' line, so no action was taken. Answer in exactly this format:\nThought: <your reasoning>\nAction: <one action, written exactly in the format of an available action>";
        episode.Steps.Should().Equal(
            new EpisodeStep(string.Empty, Feedback, false, false) { Reply = "I am not sure what to do." },
            new EpisodeStep("move forward", "You are at 1 of 1.", true, true) { Progress = 1, Reply = Forward });
        environment.Actions.Should().Equal((0L, "move forward"));
        model.Requests.Last().Messages.Select(m => (m.Role, m.Text)).Skip(1).Should().Equal(
            (ChatRole.Assistant, "I am not sure what to do."),
            (ChatRole.User, Feedback));
    }

    [Fact]
    public async Task A_model_call_that_finally_fails_ends_the_episode_with_the_failed_step_counted()
    {
        var calls = 0;
        var model = new FuncChatClient((_, _) => ++calls == 2 ? throw new LlmTransportException("The model server answered 503.", 503) : Forward);
        var environment = new CorridorEnvironment();

        var result = await new AgentRunner(model).RunAsync(environment, 5);

        result.StopsRun.Should().BeFalse();
        var episode = result.Episode!;
        episode.Steps.Should().Equal(
            new EpisodeStep("move forward", "You are at 1 of 6.", true, false) { Progress = 1.0 / 6, Reply = Forward },
            new EpisodeStep(string.Empty, string.Empty, false, false));
        episode.EndReason.Should().Be(EpisodeEndReasons.ModelFailed);
        episode.Error.Should().Be("step 1: the model call failed: HTTP 503: The model server answered 503.");
        episode.Success.Should().BeFalse();
        environment.Disposed.Should().Be(1);
        new AgentBoardScorer().Score(episode).Should().BeEquivalentTo(new { Progress = 1.0 / 6, Grounding = 0.5, Success = false, StepsTaken = 2, IsEnvironmentProgress = true });
    }

    [Fact]
    public async Task A_model_that_refuses_the_key_stops_the_run_without_an_episode()
    {
        var model = new FuncChatClient((_, _) => throw new LlmTransportException("The model server answered 401: bad key.", 401));
        var environment = new CorridorEnvironment();

        var result = await new AgentRunner(model).RunAsync(environment, 0);

        result.Should().Be(new AgentEpisodeResult(0, null, "the model call failed: HTTP 401: The model server answered 401: bad key.") { StopsRun = true });
        environment.Disposed.Should().Be(1);
    }

    [Fact]
    public async Task An_environment_that_fails_ends_the_episode_with_its_reason()
    {
        var model = new FuncChatClient((_, _) => Forward);
        var environment = new CorridorEnvironment { FailingStep = 1 };

        var episode = (await new AgentRunner(model).RunAsync(environment, 3)).Episode!;

        episode.Steps.Should().HaveCount(1);
        episode.EndReason.Should().Be(EpisodeEndReasons.EnvironmentFailed);
        episode.Error.Should().Be("step 1: the environment failed: the corridor collapsed");
        environment.Disposed.Should().Be(1);
    }

    [Fact]
    public async Task An_episode_that_cannot_start_is_not_an_episode()
    {
        var environment = new CorridorEnvironment { FailingStarts = [7] };

        var result = await new AgentRunner(new FuncChatClient((_, _) => Forward)).RunAsync(environment, 7);

        result.Should().Be(new AgentEpisodeResult(7, null, "the environment could not start task 7: no corridor 7"));
        environment.Started.Should().Be(0);
    }

    [Fact]
    public async Task Replies_are_cut_to_the_limit_before_the_action_is_parsed()
    {
        var reply = "Action: look\n" + new string('x', 100) + "\nAction: move forward";
        var model = new FuncChatClient((_, _) => reply);

        var episode = (await new AgentRunner(model, new AgentRunnerOptions { MaxSteps = 1, MaxReplyCharacters = 50 }).RunAsync(new CorridorEnvironment(), 2)).Episode!;

        episode.Steps[0].Action.Should().Be("look");
        episode.Steps[0].Reply.Should().Be(reply[..50]);
    }

    [Fact]
    public async Task Cancellation_propagates_and_still_disposes_the_episode()
    {
        using var cancel = new CancellationTokenSource();
        var model = new FuncChatClient((_, _) =>
        {
            cancel.Cancel();
            return Forward;
        });
        var environment = new CorridorEnvironment { StepDelay = TimeSpan.FromSeconds(5) };

        var run = () => new AgentRunner(model).RunAsync(environment, 3, cancel.Token);

        await run.Should().ThrowAsync<OperationCanceledException>();
        environment.Disposed.Should().Be(1);
    }
}
