using AgentRefine;
using AgentRefine.Verification;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers AgentRefine's services.</summary>
public static class AgentRefineServiceCollectionExtensions
{
    /// <summary>
    /// Registers the default AgentRefine services with <c>TryAdd</c> (so a host's own registrations,
    /// made before or after, win) and binds <see cref="AgentRefineOptions"/>: today the
    /// <see cref="IVerifier"/> (<see cref="RuleBasedVerifier"/>, singleton). The options are validated
    /// when first resolved, and at start-up in a host (<c>ValidateOnStart</c>).
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
        services.TryAddSingleton<IVerifier>(provider => new RuleBasedVerifier(
            provider.GetRequiredService<IOptions<AgentRefineOptions>>().Value.Verification,
            provider.GetService<ILogger<RuleBasedVerifier>>()));
        return services;
    }
}
