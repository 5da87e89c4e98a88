using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace AgentRefine.Llm;

/// <summary>Adds <see cref="ResilientChatClient"/> to a chat pipeline.</summary>
public static class ResilienceChatClientBuilderExtensions
{
    /// <summary>
    /// Adds retries of transient failures with back-off and <c>Retry-After</c>, and the circuit that
    /// stops calls after a fatal answer (<see cref="ResilientChatClient"/>), as the next stage.
    /// </summary>
    /// <param name="builder">The pipeline.</param>
    /// <param name="options">The settings; when <see langword="null"/>, <c>AgentRefineOptions.Synthesis.Resilience</c> from the service provider (the stage is skipped when that is <see langword="null"/>), else the defaults.</param>
    /// <param name="timeProvider">The clock; the service provider's <see cref="TimeProvider"/>, else the system clock, when <see langword="null"/>.</param>
    /// <returns>The same builder.</returns>
    public static ChatClientBuilder UseAgentRefineResilience(this ChatClientBuilder builder, LlmResilienceOptions? options = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use((inner, services) =>
        {
            var settings = options ?? PipelineSettings.From(services).Resilience;
            return settings is null
                ? inner
                : new ResilientChatClient(inner, settings, timeProvider ?? services.GetService<TimeProvider>());
        });
    }
}
