using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace AgentRefine.Llm;

/// <summary>Adds <see cref="CallTimeoutChatClient"/> to a chat pipeline.</summary>
public static class CallTimeoutChatClientBuilderExtensions
{
    /// <summary>Adds a time budget per call (<see cref="CallTimeoutChatClient"/>) as the next stage.</summary>
    /// <param name="builder">The pipeline.</param>
    /// <param name="timeout">The budget; when <see langword="null"/>, <c>AgentRefineOptions.Synthesis.Resilience.CallTimeout</c> from the service provider (the stage is skipped when resilience is off), else 180 s.</param>
    /// <param name="timeProvider">The clock; the service provider's <see cref="TimeProvider"/>, else the system clock, when <see langword="null"/>.</param>
    /// <returns>The same builder.</returns>
    public static ChatClientBuilder UseAgentRefineCallTimeout(this ChatClientBuilder builder, TimeSpan? timeout = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use((inner, services) =>
            (timeout ?? PipelineSettings.From(services).Resilience?.CallTimeout) is { } budget
                ? new CallTimeoutChatClient(inner, budget, timeProvider ?? services.GetService<TimeProvider>())
                : inner);
    }
}
