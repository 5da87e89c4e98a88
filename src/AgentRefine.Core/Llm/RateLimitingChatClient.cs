using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace AgentRefine.Llm;

/// <summary>
/// Takes a request permit and the call's estimated tokens from a shared <see cref="ChatRateLimiter"/>
/// before each call reaches the next stage. Placed inside <see cref="ResilientChatClient"/>, every
/// attempt counts; placed inside the response cache, a cache hit costs no permit.
/// </summary>
/// <remarks>Add it with <see cref="RateLimitingChatClientBuilderExtensions.UseAgentRefineRateLimits"/>. The limiter belongs to the caller (or the container): disposing this stage does not dispose it.</remarks>
/// <param name="innerClient">The next stage.</param>
/// <param name="limiter">The shared budget.</param>
public sealed class RateLimitingChatClient(IChatClient innerClient, ChatRateLimiter limiter) : DelegatingChatClient(innerClient)
{
    /// <summary>The shared budget this stage takes permits from.</summary>
    public ChatRateLimiter Limiter { get; } = limiter ?? throw new ArgumentNullException(nameof(limiter));

    /// <inheritdoc />
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var list = messages as IReadOnlyCollection<ChatMessage> ?? messages.ToList();
        await Limiter.AcquireAsync(list, options, cancellationToken).ConfigureAwait(false);
        return await base.GetResponseAsync(list, options, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var list = messages as IReadOnlyCollection<ChatMessage> ?? messages.ToList();
        await Limiter.AcquireAsync(list, options, cancellationToken).ConfigureAwait(false);
        await foreach (var update in base.GetStreamingResponseAsync(list, options, cancellationToken).ConfigureAwait(false))
        {
            yield return update;
        }
    }
}
