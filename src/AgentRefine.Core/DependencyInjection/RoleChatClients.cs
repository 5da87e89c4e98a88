using AgentRefine.Llm;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AgentRefine;

/// <summary>
/// Resolves the chat client of each role: the keyed client of the role (<c>AddKeyedChatClient(role, ...)</c>),
/// else the default one (<c>AddChatClient(...)</c>). Clients are used as the host built them: AgentRefine
/// adds no second pipeline. A role whose pipeline lacks the retry stage, or the cache stage while a cache
/// folder is configured, is reported once as a warning, because the host probably forgot <c>.UseAgentRefine()</c>.
/// </summary>
internal sealed partial class RoleChatClients(IServiceProvider services, AgentRefineOptions options, ILogger<RoleChatClients>? logger = null)
{
    private readonly ILogger _logger = (ILogger?)logger ?? NullLogger.Instance;
    private readonly HashSet<string> _checked = new(StringComparer.Ordinal);

    public IChatClient Get(string role)
    {
        ArgumentException.ThrowIfNullOrEmpty(role);
        var client = services.GetKeyedService<IChatClient>(role)
            ?? services.GetService<IChatClient>()
            ?? throw new InvalidOperationException(
                $"AgentRefine needs a chat model for the '{role}' role: register one with services.AddChatClient(...).UseAgentRefine() (or AddAgentRefineOpenAI from the AgentRefine.OpenAI package), or one for this role only with services.AddKeyedChatClient(\"{role}\", ...).UseAgentRefine().");
        lock (_checked)
        {
            if (_checked.Add(role))
            {
                if (client.GetService<ResilientChatClient>() is null && options.Synthesis?.Resilience is not null)
                {
                    MissingStage(_logger, role, "retry");
                }

                if (client.GetService<ResponseCacheChatClient>() is null && options.Synthesis?.CacheDirectory is not null)
                {
                    MissingStage(_logger, role, "response-cache");
                }
            }
        }

        return client;
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "The chat client of the '{Role}' role has no AgentRefine {Stage} stage: add .UseAgentRefine() to its registration (services.AddChatClient(...).UseAgentRefine()).")]
    private static partial void MissingStage(ILogger logger, string role, string stage);
}
