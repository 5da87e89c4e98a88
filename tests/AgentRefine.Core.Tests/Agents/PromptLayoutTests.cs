using AgentRefine.Agents;
using AgentRefine.Conversion;
using AgentRefine.Core.Tests.Fakes;
using AgentRefine.Environments;
using AgentRefine.Scripts;
using Microsoft.Extensions.AI;

namespace AgentRefine.Core.Tests.Agents;

public sealed class PromptLayoutTests
{
    private static readonly EnvironmentStart Start = CorridorEnvironment.StartOf(1);

    private static readonly AgentHistoryEntry[] History =
    [
        new("Thought: go.\nAction: move forward", "move forward", "You are at 1 of 2."),
        new("Thought: look.\nAction: look", "look", "You are at 1 of 2."),
    ];

    private const string FirstMessage = """
        You are an agent in a text-based environment. Reach the goal by taking one action per turn. After each action you will see what happens; if an action is invalid or does not work, read the feedback and correct yourself.

        Goal: reach the end of the corridor

        Available actions:
        - move forward: step ahead
        - look

        Answer every turn in exactly this format:
        Thought: <your reasoning>
        Action: <one action, written exactly in the format of an available action>

        You are at 0 of 2.
        """;

    [Fact]
    public void React_renders_the_training_rows_first_message_then_one_assistant_and_user_turn_per_step()
    {
        var runner = new AgentRunner(new FuncChatClient((_, _) => string.Empty));

        var messages = runner.BuildMessages(Start, History, out var dropped);

        dropped.Should().Be(0);
        messages.Select(m => (m.Role, m.Text)).Should().Equal(
            (ChatRole.User, FirstMessage),
            (ChatRole.Assistant, "Thought: go.\nAction: move forward"),
            (ChatRole.User, "You are at 1 of 2."),
            (ChatRole.Assistant, "Thought: look.\nAction: look"),
            (ChatRole.User, "You are at 1 of 2."));
    }

    [Fact]
    public void React_first_message_is_the_one_conversion_renders_for_the_same_goal_actions_and_observation()
    {
        var script = new Script(Start.Goal, ["reached"], [new ScriptAction("move forward", "^move forward$", null, "step ahead"), new ScriptAction("look", "^look$")]);

        FirstMessageTemplate.DefaultTemplate.Render(script, Start.Observation).Should().Be(FirstMessage);
    }

    [Fact]
    public void React_uses_the_configured_system_prompt_and_template()
    {
        var runner = new AgentRunner(new FuncChatClient((_, _) => string.Empty), new AgentRunnerOptions { SystemPrompt = "Be brief.", PromptTemplate = "Goal={{goal}}\n{{actions}}\n{{observation}}" });

        var messages = runner.BuildMessages(Start, [], out _);

        messages.Select(m => (m.Role, m.Text)).Should().Equal(
            (ChatRole.System, "Be brief."),
            (ChatRole.User, "Goal=reach the end of the corridor\n- move forward: step ahead\n- look\nYou are at 0 of 2."));
    }

    [Fact]
    public void AgentBoard_renders_vanilla_agents_prompt()
    {
        var runner = new AgentRunner(new FuncChatClient((_, _) => string.Empty), new AgentRunnerOptions { Layout = AgentPromptLayout.AgentBoard });

        var messages = runner.BuildMessages(Start, History, out var dropped);

        dropped.Should().Be(0);
        messages.Select(m => (m.Role, m.Text)).Should().Equal(
            (ChatRole.System, "You are a helpful assistant."),
            (ChatRole.User, "Walk down the corridor.\n"
                + "\nHere are examples:\nObservation: You are at 0 of 1.\nAction: move forward\nObservation: You are at 1 of 1.\n"
                + "You should perform actions to accomplish the goal: reach the end of the corridor\n"
                + "You should use the following commands for help when your action cannot be understood: look\n"
                + "Observation: You are at 0 of 2.\nAction: move forward\nObservation: You are at 1 of 2.\nAction: look\nObservation: You are at 1 of 2.\nAction: "));
    }

    [Fact]
    public async Task AgentBoard_requests_greedy_decoding_stopped_at_a_newline_with_100_new_tokens()
    {
        var model = new FuncChatClient((_, _) => "look");
        var runner = new AgentRunner(model, new AgentRunnerOptions { Layout = AgentPromptLayout.AgentBoard, MaxSteps = 1, ModelId = "m" });

        await runner.RunAsync(new CorridorEnvironment(), 0);

        var options = model.Requests.Single().Options!;
        options.Temperature.Should().Be(0);
        options.StopSequences.Should().Equal("\n");
        options.MaxOutputTokens.Should().Be(100);
        options.ModelId.Should().Be("m");
        options.AdditionalProperties![AgentRefine.Llm.LlmResponseProperties.Role].Should().Be("agent");
    }

    [Fact]
    public async Task React_requests_greedy_decoding_without_a_stop()
    {
        var model = new FuncChatClient((_, _) => "Action: look");
        await new AgentRunner(model, new AgentRunnerOptions { MaxSteps = 1 }).RunAsync(new CorridorEnvironment(), 0);

        var options = model.Requests.Single().Options!;
        options.Temperature.Should().Be(0);
        options.StopSequences.Should().BeNull();
        options.MaxOutputTokens.Should().Be(512);
    }

    [Fact]
    public void React_context_budget_drops_the_oldest_steps_never_the_first_message()
    {
        var history = Enumerable.Range(0, 6).Select(i => new AgentHistoryEntry($"Action: look {i}", $"look {i}", $"observation {i} " + new string('o', 60))).ToArray();
        var full = Budgeted(AgentPromptLayout.React, 100_000, history);
        var perStep = Count(full) - Count(Budgeted(AgentPromptLayout.React, 100_000, history[1..]));

        // Room for the first message and exactly two steps.
        var context = Count(Budgeted(AgentPromptLayout.React, 100_000, history[4..])) + 100 + (perStep / 2);
        var runner = new AgentRunner(new FuncChatClient((_, _) => string.Empty), new AgentRunnerOptions { ContextLength = context, MaxOutputTokens = 100 });

        var messages = runner.BuildMessages(Start, history, out var dropped);

        dropped.Should().Be(4);
        messages.Select(m => m.Text).Should().Equal(FirstMessage, "Action: look 4", history[4].Observation, "Action: look 5", history[5].Observation);
    }

    [Fact]
    public void AgentBoard_context_budget_drops_the_oldest_items_one_at_a_time_keeping_instruction_examples_and_goal()
    {
        var history = Enumerable.Range(0, 3).Select(i => new AgentHistoryEntry("ignored", $"look {i}", $"observation {i}")).ToArray();
        var options = new AgentRunnerOptions { Layout = AgentPromptLayout.AgentBoard, ContextLength = 100_000 };
        var full = new AgentRunner(new FuncChatClient((_, _) => string.Empty), options).BuildMessages(Start, history, out _);

        // The prompt without its first three items ("Observation: You are at 0 of 2.", "Action: look 0", "Observation: observation 0").
        var counter = EstimatedTokenCounter.Instance;
        var tight = full.Sum(m => counter.CountTokens(m.Text!) + EstimatedTokenCounter.MessageOverhead)
            - counter.CountTokens("Observation: You are at 0 of 2.\nAction: look 0\nObservation: observation 0\n");
        options.ContextLength = tight + 100 + 2;
        options.MaxOutputTokens = 100;

        var messages = new AgentRunner(new FuncChatClient((_, _) => string.Empty), options).BuildMessages(Start, history, out var dropped);

        dropped.Should().Be(3);
        messages[1].Text.Should().Be("Walk down the corridor.\n"
            + "\nHere are examples:\nObservation: You are at 0 of 1.\nAction: move forward\nObservation: You are at 1 of 1.\n"
            + "You should perform actions to accomplish the goal: reach the end of the corridor\n"
            + "You should use the following commands for help when your action cannot be understood: look\n"
            + "Action: look 1\nObservation: observation 1\nAction: look 2\nObservation: observation 2\nAction: ");
    }

    [Fact]
    public void A_prompt_that_fits_no_history_keeps_the_first_message_alone()
    {
        var runner = new AgentRunner(new FuncChatClient((_, _) => string.Empty), new AgentRunnerOptions { ContextLength = 101, MaxOutputTokens = 100 });

        var messages = runner.BuildMessages(Start, History, out var dropped);

        dropped.Should().Be(2);
        messages.Select(m => m.Text).Should().Equal(FirstMessage);
    }

    [Fact]
    public void A_plugged_in_token_counter_decides_the_budget()
    {
        var counter = new CharacterCounter();
        var runner = new AgentRunner(new FuncChatClient((_, _) => string.Empty), new AgentRunnerOptions { ContextLength = FirstMessage.Length + 4 + 100 + 1, MaxOutputTokens = 100 }, counter);

        runner.BuildMessages(Start, History, out var dropped);

        dropped.Should().Be(2);
        counter.Calls.Should().BeGreaterThan(0);
    }

    [Fact]
    public void The_estimate_is_one_token_per_three_utf8_bytes_rounded_up()
    {
        EstimatedTokenCounter.Instance.CountTokens(string.Empty).Should().Be(0);
        EstimatedTokenCounter.Instance.CountTokens("abcd").Should().Be(2);
        EstimatedTokenCounter.Instance.CountTokens("abcdef").Should().Be(2);
        EstimatedTokenCounter.Instance.CountTokens("日本").Should().Be(2);
    }

    private static IList<ChatMessage> Budgeted(AgentPromptLayout layout, int context, AgentHistoryEntry[] history) =>
        new AgentRunner(new FuncChatClient((_, _) => string.Empty), new AgentRunnerOptions { Layout = layout, ContextLength = context }).BuildMessages(Start, history, out _);

    private static int Count(IList<ChatMessage> messages) =>
        messages.Sum(m => EstimatedTokenCounter.Instance.CountTokens(m.Text!) + EstimatedTokenCounter.MessageOverhead);

    private sealed class CharacterCounter : ITokenCounter
    {
        public int Calls;

        public int CountTokens(string text)
        {
            Interlocked.Increment(ref Calls);
            return text.Length;
        }
    }
}
