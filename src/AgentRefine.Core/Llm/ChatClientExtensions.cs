using Microsoft.Extensions.AI;

namespace AgentRefine.Llm;

/// <summary>Composes the library's chat-client wrappers.</summary>
public static class ChatClientExtensions
{
    /// <summary>Wraps <paramref name="client"/> in a <see cref="ResilientChatClient"/> (retries, timeout, rate limits).</summary>
    /// <param name="client">The client.</param>
    /// <param name="options">The settings; defaults when <see langword="null"/>.</param>
    /// <param name="timeProvider">The clock; the system clock when <see langword="null"/>.</param>
    /// <returns>The wrapped client.</returns>
    public static IChatClient WithResilience(this IChatClient client, LlmResilienceOptions? options = null, TimeProvider? timeProvider = null) =>
        new ResilientChatClient(client, options, timeProvider);

    /// <summary>
    /// Wraps <paramref name="client"/> in a <see cref="ResponseCacheChatClient"/> on <paramref name="directory"/>.
    /// Put it outermost (<c>client.WithResilience().WithResponseCache(dir)</c>) so that a hit costs no rate-limit permit.
    /// </summary>
    /// <param name="client">The client.</param>
    /// <param name="directory">The cache folder.</param>
    /// <returns>The wrapped client.</returns>
    public static IChatClient WithResponseCache(this IChatClient client, string directory) =>
        new ResponseCacheChatClient(client, directory);
}
