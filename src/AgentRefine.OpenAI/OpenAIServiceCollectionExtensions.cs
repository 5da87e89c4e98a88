using AgentRefine.OpenAI;
using Microsoft.Extensions.AI;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers AgentRefine's OpenAI-compatible chat clients.</summary>
public static class OpenAIServiceCollectionExtensions
{
    /// <summary>
    /// Registers the default <see cref="IChatClient"/> (<see cref="AgentRefineOpenAIOptions.Model"/>)
    /// with <c>AddChatClient</c>, and a keyed <see cref="IChatClient"/> for each entry of
    /// <see cref="AgentRefineOpenAIOptions.RoleModels"/> with <c>AddKeyedChatClient</c> (key: the role
    /// name), all on the same server, key and timeout. <paramref name="configure"/> runs now; the
    /// clients are created when first resolved (as <see cref="AgentRefineOpenAI.CreateChatClient"/>
    /// does), so a missing API key fails then, with a message that names the environment variable.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the endpoint, models and key.</param>
    /// <param name="pipeline">
    /// Builds the pipeline of every client registered here, the default one and each role's, for example
    /// <c>p =&gt; p.UseAgentRefine()</c> (AgentRefine's cache, telemetry, retries, rate limits and time budget).
    /// When <see langword="null"/>, the clients are registered bare and the returned builder is the place to add stages.
    /// </param>
    /// <returns>The builder of the default client, to add further middleware around it.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="configure"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">No model is set, a role's model is empty, or the endpoint is not an absolute http or https address.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The network timeout is not positive.</exception>
    public static ChatClientBuilder AddAgentRefineOpenAI(this IServiceCollection services, Action<AgentRefineOpenAIOptions> configure, Action<ChatClientBuilder>? pipeline = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        var options = new AgentRefineOpenAIOptions();
        configure(options);
        _ = AgentRefineOpenAI.ModelOf(options, role: null);
        AgentRefineOpenAI.Validate(options);
        foreach (var role in options.RoleModels.Keys.ToList())
        {
            _ = AgentRefineOpenAI.ModelOf(options, role);
            var roleBuilder = services.AddKeyedChatClient(role, _ => AgentRefineOpenAI.CreateChatClient(options, role));
            pipeline?.Invoke(roleBuilder);
        }

        var builder = services.AddChatClient(_ => AgentRefineOpenAI.CreateChatClient(options));
        pipeline?.Invoke(builder);
        return builder;
    }
}
