using AgentRefine.Agents;
using AgentRefine.Core.Tests.Fakes;
using AgentRefine.Environments;
using AgentRefine.Llm;
using AgentRefine.Scripts;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AgentRefine.Core.Tests.DependencyInjection;

public sealed class EvaluationRegistrationTests
{
    [Fact]
    public async Task The_runner_uses_the_agent_roles_client_and_the_configured_options()
    {
        var agent = new FuncChatClient((_, _) => "Action: move forward");
        var fallback = new FuncChatClient((_, _) => throw new InvalidOperationException("not the agent's client"));
        var services = new ServiceCollection();
        services.AddChatClient(fallback);
        services.AddKeyedChatClient(AgentRefineChatRoles.Agent, agent);
        services.AddAgentRefine(o =>
        {
            o.Agent.Run = "model-x";
            o.Agent.MaxSteps = 5;
        });
        await using var provider = services.BuildServiceProvider();

        var runner = provider.GetRequiredService<AgentRunner>();
        var episode = (await runner.RunAsync(new CorridorEnvironment(), 2)).Episode!;

        runner.Options.MaxSteps.Should().Be(5);
        episode.Run.Should().Be("model-x");
        episode.Steps.Should().HaveCount(3);
        agent.Requests.Should().HaveCount(3);
        fallback.Requests.Should().BeEmpty();
        provider.GetRequiredService<EvaluationRun>().Should().BeSameAs(provider.GetRequiredService<EvaluationRun>());
    }

    [Fact]
    public void A_registered_token_counter_reaches_the_runner()
    {
        var counter = new CountingTokenCounter();
        var services = new ServiceCollection();
        services.AddChatClient(new FuncChatClient((_, _) => string.Empty));
        services.AddSingleton<ITokenCounter>(counter);
        services.AddAgentRefine();
        using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<AgentRunner>().BuildMessages(CorridorEnvironment.StartOf(0), [new AgentHistoryEntry("Action: look", "look", "You are at 0 of 1.")], out _);

        counter.Calls.Should().Be(3, "the prompt is counted once per message (first message, reply, observation)");
    }

    [Fact]
    public async Task The_script_environment_factory_uses_the_dm_roles_client()
    {
        var dm = new ScriptedChatClient("""{"Thought": "t", "Observation": "You are at the desk.", "parameter_error": false, "place_error": false, "logic_error": false, "task_completed": false, "conditions_met": []}""");
        var services = new ServiceCollection();
        services.AddChatClient(new FuncChatClient((_, _) => throw new InvalidOperationException("not the DM's client")));
        services.AddKeyedChatClient(AgentRefineChatRoles.DungeonMaster, dm);
        services.AddAgentRefine(o => o.ScriptEnvironment.MaxDungeonMasterAttempts = 1);
        await using var provider = services.BuildServiceProvider();

        var environment = provider.GetRequiredService<ScriptEnvironmentFactory>().Create([Script.Parse(SampleFiles.Script)]);
        await using var episode = await environment.StartAsync(0);

        episode.Start.Observation.Should().Be("You are at the desk.");
        dm.Requests.Should().ContainSingle();
    }

    [Theory]
    [InlineData(0, "AgentRefineOptions: MaxSteps must be 1 or more, found 0. (Parameter 'MaxSteps')")]
    [InlineData(-1, "AgentRefineOptions: MaxDungeonMasterAttempts must be 1 or more, found -1. (Parameter 'MaxDungeonMasterAttempts')")]
    public void Out_of_range_evaluation_settings_fail_validation_naming_the_setting(int value, string message)
    {
        using var provider = new ServiceCollection()
            .AddAgentRefine(o =>
            {
                if (value == 0)
                {
                    o.Agent.MaxSteps = value;
                }
                else
                {
                    o.ScriptEnvironment.MaxDungeonMasterAttempts = value;
                }
            })
            .BuildServiceProvider();

        var resolve = () => provider.GetRequiredService<IOptions<AgentRefineOptions>>().Value;

        resolve.Should().Throw<OptionsValidationException>().WithMessage(message);
    }

    private sealed class CountingTokenCounter : ITokenCounter
    {
        public int Calls;

        public int CountTokens(string text)
        {
            Calls++;
            return 1;
        }
    }
}
