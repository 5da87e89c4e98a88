using AgentRefine.Verification;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AgentRefine;

/// <summary>
/// Lets a host's own <see cref="IVerifier"/> serve every verification, synthesis and conversion alike.
/// When the host registered an <see cref="IVerifier"/> implementation type (say a
/// <see cref="RuleBasedVerifier"/> subclass), the verifier factory makes that type for each settings,
/// passing the <see cref="VerifierOptions"/> to its constructor; when it registered an instance or a
/// factory delegate, that one verifier serves every settings; otherwise the factory makes
/// <see cref="RuleBasedVerifier"/>s.
/// </summary>
internal static class HostVerifiers
{
    /// <summary>The library's own <see cref="IVerifier"/> registration: the factory's verifier for the configured settings.</summary>
    public static ServiceDescriptor DefaultRegistration { get; } = ServiceDescriptor.Singleton<IVerifier>(provider =>
        provider.GetRequiredService<IVerifierFactory>().Create(provider.GetRequiredService<VerifierOptions>()));

    public static Func<VerifierOptions, IVerifier> Creator(IServiceCollection services, IServiceProvider provider)
    {
        var registration = services.LastOrDefault(d => d.ServiceType == typeof(IVerifier) && !d.IsKeyedService);
        if (registration is null || ReferenceEquals(registration, DefaultRegistration))
        {
            return settings => new RuleBasedVerifier(settings, provider.GetService<ILogger<RuleBasedVerifier>>());
        }

        if (registration.ImplementationType is { } type)
        {
            return settings => (IVerifier)ActivatorUtilities.CreateInstance(provider, type, settings);
        }

        return _ => provider.GetRequiredService<IVerifier>();
    }
}
