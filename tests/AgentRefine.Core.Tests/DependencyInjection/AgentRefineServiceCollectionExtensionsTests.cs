using AgentRefine.Conversion;
using AgentRefine.Core.Tests.Fakes;
using AgentRefine.Llm;
using AgentRefine.Personas;
using AgentRefine.Scripts;
using AgentRefine.Synthesis;
using AgentRefine.Trajectories;
using AgentRefine.Verification;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AgentRefine.Core.Tests.DependencyInjection;

public class AgentRefineServiceCollectionExtensionsTests
{
    [Fact]
    public void Registers_the_rule_based_verifier_with_bound_options()
    {
        using var provider = new ServiceCollection()
            .AddLogging()
            .AddAgentRefine(o => o.Verification.MinErrorRefineTurns = 4)
            .BuildServiceProvider();

        var verifier = provider.GetRequiredService<IVerifier>();
        verifier.Should().BeOfType<RuleBasedVerifier>();
        verifier.Should().BeSameAs(provider.GetRequiredService<IVerifier>());
        verifier.Verify(SampleFiles.Script, SampleFiles.Trajectory).Outcome.Should().Be(VerificationOutcome.Regenerate, "the sample has 3 error-refine turns and 4 are required");
    }

    [Fact]
    public void Registers_the_converter_and_a_verifier_factory_with_bound_options()
    {
        using var provider = new ServiceCollection()
            .AddAgentRefine(o =>
            {
                o.Verification.MinErrorRefineTurns = 1;
                o.Conversion.Mode = ConversionMode.TrainAll;
                o.Conversion.MinErrorRefineTurns = 3;
            })
            .BuildServiceProvider();

        var factory = provider.GetRequiredService<IVerifierFactory>();
        factory.Should().BeOfType<VerifierFactory>();
        factory.Defaults.MinErrorRefineTurns.Should().Be(1, "records that name no settings are verified under the configured ones");
        provider.GetRequiredService<IVerifier>().Should().BeSameAs(factory.Create(new VerifierOptions { MinErrorRefineTurns = 1 }), "the verifier is the factory's for the configured settings");
        var converter = provider.GetRequiredService<RefinementTuningConverter>();
        converter.Should().BeSameAs(provider.GetRequiredService<RefinementTuningConverter>());
        converter.Options.Mode.Should().Be(ConversionMode.TrainAll);
        converter.Options.MinErrorRefineTurns.Should().Be(3);
    }

    [Fact]
    public void A_host_verifier_factory_serves_synthesis_and_conversion()
    {
        using var provider = new ServiceCollection()
            .AddSingleton<IVerifierFactory>(new VerifierFactory(create: o => new HostVerifier(o)))
            .AddAgentRefine()
            .BuildServiceProvider();

        provider.GetRequiredService<IVerifier>().Should().BeOfType<HostVerifier>();
    }

    [Fact]
    public void Invalid_conversion_options_fail_with_the_setting_named()
    {
        using var provider = new ServiceCollection().AddAgentRefine(o => o.Conversion.MinErrorRefineTurns = -1).BuildServiceProvider();
        var act = () => provider.GetRequiredService<RefinementTuningConverter>();
        act.Should().Throw<OptionsValidationException>().WithMessage("*MinErrorRefineTurns*");
    }

    private sealed class HostVerifier(VerifierOptions? options = null) : RuleBasedVerifier(options);

    [Fact]
    public void A_host_registration_wins_before_or_after()
    {
        using var before = new ServiceCollection().AddSingleton<IVerifier, HostVerifier>().AddAgentRefine().BuildServiceProvider();
        before.GetRequiredService<IVerifier>().Should().BeOfType<HostVerifier>();

        var services = new ServiceCollection().AddAgentRefine();
        services.AddAgentRefine();
        services.Count(d => d.ServiceType == typeof(IVerifier)).Should().Be(1, "calling AddAgentRefine twice adds nothing twice");
        services.Count(d => d.ServiceType == typeof(IValidateOptions<AgentRefineOptions>)).Should().Be(1);
    }

    [Fact]
    public void Invalid_options_fail_with_the_setting_named()
    {
        using var provider = new ServiceCollection().AddAgentRefine(o => o.ReadLimits.MaxTurns = 0).BuildServiceProvider();
        var act = () => provider.GetRequiredService<IOptions<AgentRefineOptions>>().Value;
        act.Should().Throw<OptionsValidationException>().WithMessage("*MaxTurns*");
    }

    [Fact]
    public void Defaults_follow_the_paper()
    {
        var options = new AgentRefineOptions();
        options.Verification.MinErrorRefineTurns.Should().Be(2);
        options.Verification.RegexMatchTimeout.Should().Be(TimeSpan.FromMilliseconds(100));
        options.Verification.UseNonBacktrackingEngine.Should().BeFalse();
    }

    [Fact]
    public async Task Each_role_uses_its_keyed_client_or_falls_back_to_the_default()
    {
        var fallback = new ScriptedChatClient(SampleFiles.Script) { ModelId = "default-model" };
        var simulator = new ScriptedChatClient("{\"turns\": " + SampleFiles.Trajectory + "}") { ModelId = "simulator-model" };
        using var provider = new ServiceCollection()
            .AddSingleton<IChatClient>(fallback)
            .AddKeyedSingleton<IChatClient>(AgentRefineChatRoles.Trajectory, simulator)
            .AddAgentRefine(o => o.Synthesis.Resilience = null)
            .BuildServiceProvider();

        var pipeline = provider.GetRequiredService<SynthesisPipeline>();
        var record = await pipeline.SynthesizeAsync(new Persona("A librarian", "test:1"));

        record.Status.Should().Be(SynthesisStatus.Accepted);
        record.Provenance!.Models.Should().Equal("default-model", "simulator-model");
        fallback.Requests.Should().ContainSingle();
        simulator.Requests.Should().ContainSingle();
    }

    [Fact]
    public void Roles_sharing_a_client_share_one_resilient_wrapper()
    {
        using var provider = new ServiceCollection().AddSingleton<IChatClient>(new ScriptedChatClient()).AddAgentRefine().BuildServiceProvider();
        provider.GetRequiredService<IScriptGenerator>().Should().BeOfType<LlmScriptGenerator>();
        provider.GetRequiredService<ITrajectorySimulator>().Should().BeOfType<LlmTrajectorySimulator>();
        var roles = provider.GetRequiredService<RoleChatClients>();
        roles.Get(AgentRefineChatRoles.Script).Should().BeOfType<ResilientChatClient>().And.BeSameAs(roles.Get(AgentRefineChatRoles.Trajectory));
    }

    [Fact]
    public void A_missing_chat_client_is_a_clear_error()
    {
        using var provider = new ServiceCollection().AddAgentRefine().BuildServiceProvider();
        var act = () => provider.GetRequiredService<IScriptGenerator>();
        act.Should().Throw<InvalidOperationException>().WithMessage("AgentRefine needs a chat model for the 'script' role: register an IChatClient*");
    }

    [Fact]
    public async Task The_persona_source_reads_the_configured_file()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "samples", "personas.jsonl");
        using var provider = new ServiceCollection().AddAgentRefine(o => { o.Personas.Path = path; o.Personas.Limit = 5; }).BuildServiceProvider();
        (await provider.GetRequiredService<IPersonaSource>().ReadAsync().ToListAsync()).Should().HaveCount(5);
    }
}
