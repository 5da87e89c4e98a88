using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace AgentRefine.Llm;

/// <summary>Adds <see cref="RateLimitingChatClient"/> to a chat pipeline.</summary>
public static class RateLimitingChatClientBuilderExtensions
{
    /// <summary>Adds requests- and tokens-per-minute limits (<see cref="RateLimitingChatClient"/>) as the next stage.</summary>
    /// <param name="builder">The pipeline.</param>
    /// <param name="limiter">
    /// The budget; when <see langword="null"/>, the <see cref="ChatRateLimiter"/> registered in the service
    /// provider (<c>AddAgentRefine</c> registers one from <c>AgentRefineOptions.Synthesis.Resilience</c>,
    /// shared by every role). The stage is skipped when there is none or it sets no limit.
    /// </param>
    /// <returns>The same builder.</returns>
    public static ChatClientBuilder UseAgentRefineRateLimits(this ChatClientBuilder builder, ChatRateLimiter? limiter = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use((inner, services) =>
            (limiter ?? services.GetService<ChatRateLimiter>()) is { IsLimited: true } budget
                ? new RateLimitingChatClient(inner, budget)
                : inner);
    }
}
