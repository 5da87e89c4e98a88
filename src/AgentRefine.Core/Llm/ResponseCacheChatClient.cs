using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Distributed;

namespace AgentRefine.Llm;

/// <summary>
/// A cache of finished model calls over any <see cref="IDistributedCache"/> (the library's default is
/// one SQLite database file: <see cref="ResponseCacheStorage.OpenSqlite"/>), so that a rerun, or a
/// resume after a crash, replays finished calls for free. It is Microsoft.Extensions.AI's
/// <see cref="DistributedCachingChatClient"/> with three additions: the key also names who answers
/// (provider, endpoint and default model of the inner client's <see cref="ChatClientMetadata"/>, which
/// M.E.AI's key does not), so another model never replays this one's answers; replayed responses
/// carry <see cref="LlmResponseProperties.Cached"/> and report 0 <see cref="LlmResponseProperties.Retries"/>
/// (the retries were paid when the answer was first fetched); and an unreadable entry is a miss, not
/// an error.
/// </summary>
/// <remarks>
/// The key also covers the messages and every <see cref="ChatOptions"/> value, including the
/// additional properties the library sets per call (record id, attempt), so two personas, or two
/// attempts of one persona, never share an answer. The key is computed by M.E.AI and is not
/// guaranteed stable across its releases: after a package upgrade the cache may start cold. That
/// costs money, never correctness: resume is driven by the records file, not by the cache. Add it with
/// <see cref="ResponseCacheChatClientBuilderExtensions.UseAgentRefineResponseCache"/>, outermost, so a
/// hit costs no rate-limit permit and no model call.
/// </remarks>
public sealed class ResponseCacheChatClient : DistributedCachingChatClient
{
    /// <summary>The service key of the keyed <see cref="IDistributedCache"/> the cache stage uses when none is given: <c>AgentRefine.ResponseCache</c>.</summary>
    public const string StorageServiceKey = "AgentRefine.ResponseCache";

    /// <summary>The version of the library's part of the key; bumped when the library changes what a cached answer means.</summary>
    internal const string KeyVersion = "agentrefine-response-cache-v2";

    /// <summary>Creates the stage.</summary>
    /// <param name="innerClient">The client whose answers are cached.</param>
    /// <param name="storage">Where entries are kept.</param>
    public ResponseCacheChatClient(IChatClient innerClient, IDistributedCache storage)
        : base(innerClient, storage)
    {
        var metadata = innerClient.GetService<ChatClientMetadata>();
        CacheKeyAdditionalValues = [KeyVersion, metadata?.ProviderName ?? string.Empty, metadata?.ProviderUri?.ToString() ?? string.Empty, metadata?.DefaultModelId ?? string.Empty];
    }

    /// <inheritdoc />
    protected override async Task<ChatResponse?> ReadCacheAsync(string key, CancellationToken cancellationToken)
    {
        ChatResponse? response;
        try
        {
            response = await base.ReadCacheAsync(key, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException)
        {
            return null;
        }

        if (response is not null)
        {
            var properties = response.AdditionalProperties ??= [];
            properties[LlmResponseProperties.Cached] = true;
            properties[LlmResponseProperties.Retries] = 0;
        }

        return response;
    }

    /// <inheritdoc />
    protected override async Task<IReadOnlyList<ChatResponseUpdate>?> ReadCacheStreamingAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            return await base.ReadCacheStreamingAsync(key, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
