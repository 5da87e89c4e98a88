using AgentRefine.Conversion;
using AgentRefine.Core.Tests.Fakes;
using AgentRefine.Llm;
using AgentRefine.Personas;
using AgentRefine.Scripts;
using AgentRefine.Synthesis;
using AgentRefine.Trajectories;
using AgentRefine.Verification;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
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

    /// <summary>A host's stricter verifier that keeps the configured settings.</summary>
    private sealed class ConfiguredHostVerifier(VerifierOptions options, Microsoft.Extensions.Logging.ILogger<RuleBasedVerifier> logger) : RuleBasedVerifier(options, logger);

    [Fact]
    public void A_hosts_verifier_subclass_receives_the_settings_from_appsettings()
    {
        var appsettings = """{ "AgentRefine": { "Verification": { "MinErrorRefineTurns": 4, "RegexMatchTimeout": "00:00:00.250" } } }""";
        using var json = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(appsettings));
        var configuration = new Microsoft.Extensions.Configuration.ConfigurationBuilder().AddJsonStream(json).Build();
        var services = new ServiceCollection().AddLogging();
        services.Configure<AgentRefineOptions>(configuration.GetSection("AgentRefine"));
        services.AddSingleton<IVerifier, ConfiguredHostVerifier>();
        services.AddAgentRefine();
        using var provider = services.BuildServiceProvider();

        var verifier = provider.GetRequiredService<IVerifier>().Should().BeOfType<ConfiguredHostVerifier>().Subject;
        verifier.Settings!.MinErrorRefineTurns.Should().Be(4);
        verifier.Settings.RegexMatchTimeout.Should().Be(TimeSpan.FromMilliseconds(250));
        verifier.Verify(SampleFiles.Script, SampleFiles.Trajectory).Outcome.Should().Be(VerificationOutcome.Regenerate, "the sample has 3 error-refine turns and the configuration asks for 4");

        // Conversion verifies each record under its own settings with the same host type.
        var lenient = provider.GetRequiredService<IVerifierFactory>().Create(new VerifierOptions { MinErrorRefineTurns = 1 });
        lenient.Should().BeOfType<ConfiguredHostVerifier>();
        lenient.Settings!.MinErrorRefineTurns.Should().Be(1);
        lenient.Verify(SampleFiles.Script, SampleFiles.Trajectory).Outcome.Should().Be(VerificationOutcome.Accepted);
        provider.GetRequiredService<AgentRefine.Conversion.RefinementTuningConverter>().Should().NotBeNull();
    }

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
        var services = new ServiceCollection().AddAgentRefine();
        services.AddChatClient(fallback).UseAgentRefine();
        services.AddKeyedChatClient(AgentRefineChatRoles.Trajectory, simulator).UseAgentRefine();
        await using var provider = services.BuildServiceProvider();

        var pipeline = provider.GetRequiredService<SynthesisPipeline>();
        var record = await pipeline.SynthesizeAsync(new Persona("A librarian", "test:1"));

        record.Status.Should().Be(SynthesisStatus.Accepted);
        record.Provenance!.Models.Should().Equal("default-model", "simulator-model");
        fallback.Requests.Should().ContainSingle();
        simulator.Requests.Should().ContainSingle();
        var roles = provider.GetRequiredService<RoleChatClients>();
        roles.Get(AgentRefineChatRoles.Judge).Should().BeSameAs(provider.GetRequiredService<IChatClient>(), "a role without a keyed client uses the default one");
        roles.Get(AgentRefineChatRoles.Trajectory).Should().BeSameAs(provider.GetRequiredKeyedService<IChatClient>(AgentRefineChatRoles.Trajectory));
    }

    [Fact]
    public void Roles_use_the_hosts_pipeline_and_share_one_rate_limit_budget()
    {
        var services = new ServiceCollection().AddAgentRefine(o => o.Synthesis.Resilience!.RequestsPerMinute = 600);
        services.AddChatClient(new ScriptedChatClient()).UseAgentRefine();
        services.AddKeyedChatClient(AgentRefineChatRoles.Trajectory, new ScriptedChatClient()).UseAgentRefine();
        using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IScriptGenerator>().Should().BeOfType<LlmScriptGenerator>();
        provider.GetRequiredService<ITrajectorySimulator>().Should().BeOfType<LlmTrajectorySimulator>();

        var roles = provider.GetRequiredService<RoleChatClients>();
        var script = roles.Get(AgentRefineChatRoles.Script);
        var trajectory = roles.Get(AgentRefineChatRoles.Trajectory);
        script.Should().BeSameAs(provider.GetRequiredService<IChatClient>(), "AgentRefine does not build a second pipeline");
        script.GetService<ResilientChatClient>().Should().NotBeNull();
        trajectory.GetService<ResilientChatClient>().Should().NotBeNull().And.NotBeSameAs(script.GetService<ResilientChatClient>());
        trajectory.GetService<RateLimitingChatClient>()!.Limiter.Should().BeSameAs(script.GetService<RateLimitingChatClient>()!.Limiter, "rate limits belong to the key, not to a role");
    }

    [Fact]
    public void A_pipeline_without_the_librarys_stages_is_reported_once()
    {
        var logs = new ListLoggerProvider();
        var services = new ServiceCollection().AddLogging(b => b.AddProvider(logs)).AddAgentRefine(o => o.Synthesis.CacheDirectory = "unused-cache");
        services.AddChatClient(new ScriptedChatClient());
        using var provider = services.BuildServiceProvider();

        var roles = provider.GetRequiredService<RoleChatClients>();
        roles.Get(AgentRefineChatRoles.Script);
        roles.Get(AgentRefineChatRoles.Script);

        logs.Messages.Should().Equal(
            "The chat client of the 'script' role has no AgentRefine retry stage: add .UseAgentRefine() to its registration (services.AddChatClient(...).UseAgentRefine()).",
            "The chat client of the 'script' role has no AgentRefine response-cache stage: add .UseAgentRefine() to its registration (services.AddChatClient(...).UseAgentRefine()).");
        Directory.Exists("unused-cache").Should().BeFalse("the cache is opened only by a pipeline that uses it");
    }

    private sealed class HostTaskScorer : AgentRefine.Scoring.TaskScorer<int>
    {
        public override string Task => "my-game";

        protected override int Begin(AgentRefine.Scoring.Episode episode) => 0;

        protected override (double Progress, bool Done, bool Success) ApplyStep(int state, int index, AgentRefine.Scoring.EpisodeStep episodeStep, double progress) => (1, true, true);
    }

    [Fact]
    public void The_scorer_and_evaluator_are_registered_with_the_hosts_task_scorers()
    {
        using var provider = new ServiceCollection().AddSingleton<AgentRefine.Scoring.TaskScorer, HostTaskScorer>().AddAgentRefine().BuildServiceProvider();

        var scorer = provider.GetRequiredService<AgentRefine.Scoring.AgentBoardScorer>();
        provider.GetRequiredService<AgentRefine.Scoring.AgentBoardEvaluator>().Should().NotBeNull();
        scorer.Scorers.Keys.Should().Contain("my-game").And.Contain("alfworld");
    }

    [Fact]
    public void A_missing_chat_client_is_a_clear_error()
    {
        using var provider = new ServiceCollection().AddAgentRefine().BuildServiceProvider();
        var act = () => provider.GetRequiredService<IScriptGenerator>();
        act.Should().Throw<InvalidOperationException>().WithMessage("AgentRefine needs a chat model for the 'script' role: register one with services.AddChatClient(...).UseAgentRefine()*AddKeyedChatClient(\"script\", ...)*");
    }

    private sealed class ListLoggerProvider : Microsoft.Extensions.Logging.ILoggerProvider
    {
        public List<string> Messages { get; } = [];

        public Microsoft.Extensions.Logging.ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void Dispose()
        {
        }

        private sealed class Logger(ListLoggerProvider owner, string category) : Microsoft.Extensions.Logging.ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

            public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (category.EndsWith("RoleChatClients", StringComparison.Ordinal))
                {
                    lock (owner.Messages)
                    {
                        owner.Messages.Add(formatter(state, exception));
                    }
                }
            }
        }
    }

    [Fact]
    public async Task The_persona_source_reads_the_configured_file()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "samples", "personas.jsonl");
        using var provider = new ServiceCollection().AddAgentRefine(o => { o.Personas.Path = path; o.Personas.Limit = 5; }).BuildServiceProvider();
        (await provider.GetRequiredService<IPersonaSource>().ReadAsync().ToListAsync()).Should().HaveCount(5);
    }
}
