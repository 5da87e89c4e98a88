using AgentRefine;
using AgentRefine.Conversion;
using AgentRefine.Llm;
using AgentRefine.Personas;
using AgentRefine.Scripts;
using AgentRefine.Synthesis;
using AgentRefine.Trajectories;
using AgentRefine.Verification;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers AgentRefine's services.</summary>
public static class AgentRefineServiceCollectionExtensions
{
    /// <summary>
    /// Registers the default AgentRefine services with <c>TryAdd</c> (a host's own registration made
    /// before this call wins; one made after it also wins wherever a single service is resolved) and binds <see cref="AgentRefineOptions"/>: today the
    /// <see cref="IVerifierFactory"/> (<see cref="VerifierFactory"/> of <see cref="RuleBasedVerifier"/>s, defaults
    /// <see cref="AgentRefineOptions.Verification"/>), the <see cref="IVerifier"/> (the factory's verifier for
    /// <see cref="AgentRefineOptions.Verification"/>), <see cref="IScriptGenerator"/>
    /// (<see cref="LlmScriptGenerator"/>), <see cref="ITrajectorySimulator"/> (<see cref="LlmTrajectorySimulator"/>),
    /// <see cref="PersonaSynthesizer"/>, <see cref="SynthesisRun"/>, <see cref="SynthesisPipeline"/>,
    /// <see cref="RefinementTuningConverter"/> (on <see cref="AgentRefineOptions.Conversion"/>) and
    /// <see cref="IPersonaSource"/> (<see cref="PersonaFileSource"/> on
    /// <see cref="AgentRefineOptions.Personas"/>), all singletons. Each LLM role uses the keyed
    /// <c>IChatClient</c> of its name (<see cref="AgentRefineChatRoles"/>) or else the default
    /// <c>IChatClient</c>, wrapped with <see cref="SynthesisOptions.Resilience"/> and
    /// <see cref="SynthesisOptions.CacheDirectory"/>. The options are validated when first resolved,
    /// and at start-up in a host (<c>ValidateOnStart</c>).
    /// </summary>
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
        services.TryAddSingleton<IVerifierFactory>(provider => new VerifierFactory(
            Options(provider).Verification,
            settings => new RuleBasedVerifier(settings, provider.GetService<ILogger<RuleBasedVerifier>>())));
        services.TryAddSingleton(provider => provider.GetRequiredService<IVerifierFactory>().Create(Options(provider).Verification));
        services.TryAddSingleton(provider => new RoleChatClients(provider, Options(provider).Synthesis));
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
        return services;
    }

    private static AgentRefineOptions Options(IServiceProvider provider) => provider.GetRequiredService<IOptions<AgentRefineOptions>>().Value;
}
