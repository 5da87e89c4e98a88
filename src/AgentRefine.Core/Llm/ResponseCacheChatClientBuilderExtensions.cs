using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.DependencyInjection;

namespace AgentRefine.Llm;

/// <summary>Adds <see cref="ResponseCacheChatClient"/> to a chat pipeline.</summary>
public static class ResponseCacheChatClientBuilderExtensions
{
    /// <summary>
    /// Adds the response cache (<see cref="ResponseCacheChatClient"/>) as the next stage. Put it first
    /// (outermost), so that a hit costs no rate-limit permit, no retry and no model call.
    /// </summary>
    /// <param name="builder">The pipeline.</param>
    /// <param name="storage">
    /// The store; when <see langword="null"/>, the keyed <see cref="IDistributedCache"/>
    /// <see cref="ResponseCacheChatClient.StorageServiceKey"/> from the service provider (<c>AddAgentRefine</c>
    /// registers the SQLite store when <c>AgentRefineOptions.Synthesis.CacheDirectory</c> is set; a host may
    /// register its own, e.g. Redis). The stage is skipped when there is none.
    /// </param>
    /// <returns>The same builder.</returns>
    public static ChatClientBuilder UseAgentRefineResponseCache(this ChatClientBuilder builder, IDistributedCache? storage = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use((inner, services) =>
            (storage ?? services.GetKeyedService<IDistributedCache>(ResponseCacheChatClient.StorageServiceKey)) is { } store
                ? new ResponseCacheChatClient(inner, store)
                : inner);
    }
}
