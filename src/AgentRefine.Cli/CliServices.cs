using Microsoft.Extensions.DependencyInjection;

namespace AgentRefine.Cli;

/// <summary>
/// The command line's one composition root: a <see cref="ServiceCollection"/> built with
/// <c>AddAgentRefine</c> from a command's options (plus the command's own registrations), so a
/// command resolves the same services a host gets and never news up a second graph.
/// </summary>
internal static class CliServices
{
    /// <summary>Builds the services.</summary>
    /// <param name="configure">Sets the options from the command's arguments; optional.</param>
    /// <param name="register">Adds or replaces registrations (a chat client, a store, ...); runs before <c>AddAgentRefine</c>, so its registrations win over the defaults; optional.</param>
    /// <returns>The provider; the caller disposes it.</returns>
    public static ServiceProvider Build(Action<AgentRefineOptions>? configure = null, Action<IServiceCollection>? register = null)
    {
        var services = new ServiceCollection();
        register?.Invoke(services);
        services.AddAgentRefine(configure);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
    }
}
