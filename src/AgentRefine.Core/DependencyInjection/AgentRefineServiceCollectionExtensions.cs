using AgentRefine;
using AgentRefine.Agents;
using AgentRefine.Conversion;
using AgentRefine.Environments;
using AgentRefine.Json;
using AgentRefine.Llm;
using AgentRefine.Personas;
using AgentRefine.Scoring;
using AgentRefine.Scripts;
using AgentRefine.Synthesis;
using AgentRefine.Tokenization;
using AgentRefine.Trajectories;
using AgentRefine.Verification;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers AgentRefine's services.</summary>
public static class AgentRefineServiceCollectionExtensions
{
    /// <summary>
    /// Registers AgentRefine's services with <c>TryAdd</c> (a host's own registration made before this
    /// call wins; one made after it also wins wherever a single service is resolved) and binds
    /// <see cref="AgentRefineOptions"/>. This is the only place the library's defaults are wired; the
    /// <c>agentrefine</c> tool resolves the same services. Registered, all singletons:
    /// <see cref="IVerifierFactory"/> (one verifier per distinct settings: the configured ones, or those
    /// a record was accepted under) and <see cref="IVerifier"/> (<see cref="RuleBasedVerifier"/> on
    /// <see cref="AgentRefineOptions.Verification"/>; a host's own <see cref="IVerifier"/> type, for
    /// example a <see cref="RuleBasedVerifier"/> subclass, is what the factory makes, with the settings
    /// passed to its constructor), the option sections (<see cref="VerifierOptions"/>,
    /// <see cref="JsonReadLimits"/>, <see cref="SynthesisOptions"/>), <see cref="IScriptGenerator"/>,
    /// <see cref="ITrajectorySimulator"/>, <see cref="PersonaSynthesizer"/>, <see cref="SynthesisRun"/>,
    /// <see cref="SynthesisPipeline"/>, <see cref="RefinementTuningConverter"/> (on
    /// <see cref="AgentRefineOptions.Conversion"/>), <see cref="IPersonaSource"/> (on
    /// <see cref="AgentRefineOptions.Personas"/>), the shared <see cref="ChatRateLimiter"/> (on
    /// <c>Synthesis.Resilience</c>), and, when <c>Synthesis.CacheDirectory</c> is set, the SQLite response
    /// cache as the keyed <c>IDistributedCache</c> <see cref="ResponseCacheChatClient.StorageServiceKey"/>;
    /// for scoring, <see cref="AgentBoardScorer"/> (with every <see cref="TaskScorer"/> the host registered
    /// for its own tasks) and <see cref="AgentBoardEvaluator"/> over it; for token-level rows,
    /// <see cref="TokenizationOptions"/>, the <see cref="ModelTokenizer"/> of
    /// <c>Tokenization.TokenizerDirectory</c> (read when first resolved) and the <see cref="ChatTemplate"/>
    /// <c>Tokenization.Template</c> bound to it;
    /// for evaluation,
    /// <see cref="AgentRunner"/> (the <c>agent</c> role's client, <see cref="AgentRefineOptions.Agent"/>, and
    /// the host's <see cref="ITokenCounter"/> when one is registered), <see cref="EvaluationRun"/> and
    /// <see cref="ScriptEnvironmentFactory"/> (the <c>dm</c> role's client, <see cref="AgentRefineOptions.ScriptEnvironment"/>).
    /// </summary>
    /// <remarks>
    /// Chat models are the host's: register them with <c>services.AddChatClient(...)</c> (every role)
    /// or <c>services.AddKeyedChatClient(role, ...)</c> (one role of <see cref="AgentRefineChatRoles"/>),
    /// and add the library's stages to that pipeline with <c>.UseAgentRefine()</c>. Options are validated
    /// when first resolved, and at start-up in a host (<c>ValidateOnStart</c>).
    /// </remarks>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Configures the options; optional.</param>
    /// <returns>The same service collection.</returns>
    public static IServiceCollection AddAgentRefine(this IServiceCollection services, Action<AgentRefineOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<AgentRefineOptions>().ValidateOnStart();
        if (configure is not null)
        {
            services.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AgentRefineOptions>, AgentRefineOptionsValidator>());
        // The option sections are services too, so a host's verifier subclass gets the configured
        // VerifierOptions (from appsettings) through its constructor.
        services.TryAddSingleton(provider => Options(provider).Verification);
        services.TryAddSingleton(provider => Options(provider).ReadLimits);
        services.TryAddSingleton(provider => Options(provider).Synthesis);
        services.TryAddSingleton(provider => new PipelineSettings(Options(provider).Synthesis.Resilience, Options(provider).Telemetry));
        services.TryAddSingleton<IVerifierFactory>(provider => new VerifierFactory(
            Options(provider).Verification,
            HostVerifiers.Creator(services, provider)));
        services.TryAdd(HostVerifiers.DefaultRegistration);
        services.TryAddSingleton(provider => new RoleChatClients(provider, Options(provider), provider.GetService<ILogger<RoleChatClients>>()));
        services.TryAddSingleton(provider => Options(provider).Synthesis.Resilience is { } resilience
            ? new ChatRateLimiter(resilience.RequestsPerMinute, resilience.TokensPerMinute)
            : new ChatRateLimiter(null, null));
        services.TryAddKeyedSingleton<IDistributedCache>(ResponseCacheChatClient.StorageServiceKey, (provider, _) =>
            Options(provider).Synthesis.CacheDirectory is { } directory ? ResponseCacheStorage.OpenSqlite(directory) : null!);
        services.TryAddSingleton<IScriptGenerator>(provider => new LlmScriptGenerator(
            provider.GetRequiredService<RoleChatClients>().Get(AgentRefineChatRoles.Script),
            Options(provider).Synthesis.Script,
            Options(provider).ReadLimits));
        services.TryAddSingleton<ITrajectorySimulator>(provider => new LlmTrajectorySimulator(
            provider.GetRequiredService<RoleChatClients>().Get(AgentRefineChatRoles.Trajectory),
            Options(provider).Synthesis.Trajectory,
            Options(provider).Verification.MinErrorRefineTurns,
            Options(provider).ReadLimits));
        services.TryAddSingleton(provider => new PersonaSynthesizer(
            provider.GetRequiredService<IScriptGenerator>(),
            provider.GetRequiredService<ITrajectorySimulator>(),
            provider.GetRequiredService<IVerifier>(),
            Options(provider).Synthesis,
            provider.GetService<ILogger<PersonaSynthesizer>>()));
        services.TryAddSingleton(provider => new SynthesisRun(
            provider.GetRequiredService<PersonaSynthesizer>(),
            Options(provider).Synthesis,
            provider.GetService<ILogger<SynthesisRun>>(),
            provider.GetService<TimeProvider>()));
        services.TryAddSingleton(provider => new SynthesisPipeline(provider.GetRequiredService<SynthesisRun>()));
        services.TryAddSingleton(provider => new RefinementTuningConverter(
            provider.GetRequiredService<IVerifierFactory>(),
            Options(provider).Conversion));
        services.TryAddSingleton<IPersonaSource>(provider => new PersonaFileSource(Options(provider).Personas));

        // Scoring: AgentBoard's rules plus every TaskScorer the host registered, and the evaluator over them.
        services.TryAddSingleton(provider => new AgentBoardScorer(provider.GetServices<TaskScorer>()));
        services.TryAddSingleton(provider => new AgentBoardEvaluator(provider.GetRequiredService<AgentBoardScorer>()));

        // Token-level rows: the model folder's tokenizer and the chat template bound to it.
        services.TryAddSingleton(provider => Options(provider).Tokenization);
        services.TryAddSingleton(provider => ModelTokenizer.Load(Options(provider).Tokenization.TokenizerDirectory
            ?? throw new InvalidOperationException("AgentRefineOptions.Tokenization.TokenizerDirectory is not set: name the model folder with tokenizer.json or tokenizer.model.")));
        services.TryAddSingleton(provider => ChatTemplates.Create(Options(provider).Tokenization.Template, provider.GetRequiredService<ModelTokenizer>()));

        // Evaluation: the agent (role "agent") in environments; the context budget counts with the host's tokenizer when one is registered.
        services.TryAddSingleton(provider => new AgentRunner(
            provider.GetRequiredService<RoleChatClients>().Get(AgentRefineChatRoles.Agent),
            Options(provider).Agent,
            provider.GetService<ITokenCounter>()));
        services.TryAddSingleton(provider => new EvaluationRun(provider.GetRequiredService<AgentRunner>()));
        services.TryAddSingleton(provider => new ScriptEnvironmentFactory(
            provider.GetRequiredService<RoleChatClients>().Get(AgentRefineChatRoles.DungeonMaster),
            provider.GetRequiredService<IVerifier>() as RuleBasedVerifier ?? new RuleBasedVerifier(Options(provider).Verification),
            Options(provider).ScriptEnvironment));
        return services;
    }

    private static AgentRefineOptions Options(IServiceProvider provider) => provider.GetRequiredService<IOptions<AgentRefineOptions>>().Value;
}
