using AgentRefine.OpenAI;
using Microsoft.Extensions.AI;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers <see cref="OpenAICompatibleChatClient"/>.</summary>
public static class OpenAIServiceCollectionExtensions
{
    /// <summary>
    /// Registers an <see cref="OpenAICompatibleChatClient"/> as the default <see cref="IChatClient"/>,
    /// or, with <paramref name="role"/>, as the keyed client of that AgentRefine role
    /// (<c>AgentRefineChatRoles.Script</c>, <c>AgentRefineChatRoles.Trajectory</c>).
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the endpoint, model, key and defaults.</param>
    /// <param name="role">The role to register for; the default client when <see langword="null"/>.</param>
    /// <returns>The same service collection.</returns>
    public static IServiceCollection AddAgentRefineOpenAI(this IServiceCollection services, Action<OpenAICompatibleChatClientOptions> configure, string? role = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        var options = new OpenAICompatibleChatClientOptions();
        configure(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Model, nameof(OpenAICompatibleChatClientOptions.Model));
        if (role is null)
        {
            services.AddSingleton<IChatClient>(_ => new OpenAICompatibleChatClient(options));
        }
        else
        {
            services.AddKeyedSingleton<IChatClient>(role, (_, _) => new OpenAICompatibleChatClient(options));
        }

        return services;
    }
}
