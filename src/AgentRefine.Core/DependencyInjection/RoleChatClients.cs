using AgentRefine.Llm;
using AgentRefine.Synthesis;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace AgentRefine;

/// <summary>
/// Resolves the chat client of each LLM role (the keyed client of the role, else the default one)
/// and wraps it once with the resilience and cache settings, so roles that share a client also share
/// its rate limits. The wrappers live as long as the container; they are not disposed, because
/// disposing a delegating client disposes the inner client, which belongs to the host.
/// </summary>
internal sealed class RoleChatClients(IServiceProvider services, SynthesisOptions options)
{
    private readonly Dictionary<IChatClient, IChatClient> _wrapped = new(ReferenceEqualityComparer.Instance);

    public IChatClient Get(string role)
    {
        var client = services.GetKeyedService<IChatClient>(role)
            ?? services.GetService<IChatClient>()
            ?? throw new InvalidOperationException(
                $"AgentRefine needs a chat model for the '{role}' role: register an IChatClient (services.AddSingleton<IChatClient>(...), or AddAgentRefineOpenAI from AgentRefine.OpenAI), or a keyed one for this role (services.AddKeyedSingleton<IChatClient>(\"{role}\", ...)).");
        lock (_wrapped)
        {
            if (!_wrapped.TryGetValue(client, out var wrapped))
            {
                wrapped = client;
                if (options.Resilience is { } resilience)
                {
                    wrapped = wrapped.WithResilience(resilience);
                }

                if (options.CacheDirectory is { } cache)
                {
                    wrapped = wrapped.WithResponseCache(cache);
                }

                _wrapped[client] = wrapped;
            }

            return wrapped;
        }
    }

}
