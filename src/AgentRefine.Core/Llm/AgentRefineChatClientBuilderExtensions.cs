using AgentRefine.Diagnostics;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AgentRefine.Llm;

/// <summary>Adds AgentRefine's recommended stages to a chat pipeline in one call.</summary>
public static class AgentRefineChatClientBuilderExtensions
{
    /// <summary>
    /// Adds, outermost first: the response cache (<see cref="ResponseCacheChatClientBuilderExtensions.UseAgentRefineResponseCache"/>,
    /// when a cache is configured), OpenTelemetry (gen_ai spans and metrics under the source
    /// <see cref="AgentRefineTelemetry.Name"/>; prompt text only when
    /// <c>AgentRefineOptions.Telemetry.EnableSensitiveData</c> is set), logging (when an
    /// <see cref="ILoggerFactory"/> is registered), retries and the fatal-error circuit
    /// (<see cref="ResilienceChatClientBuilderExtensions.UseAgentRefineResilience"/>), rate limits
    /// (<see cref="RateLimitingChatClientBuilderExtensions.UseAgentRefineRateLimits"/>) and the per-call
    /// time budget (<see cref="CallTimeoutChatClientBuilderExtensions.UseAgentRefineCallTimeout"/>), all
    /// configured from <c>AgentRefineOptions</c> in the service provider.
    /// </summary>
    /// <remarks>
    /// The order is deliberate: a cache hit skips every later stage (no permit, no call); one
    /// telemetry span covers a logical call with its retries inside; every retry takes its own rate-limit
    /// permit; the time budget starts once the permit is granted. A host that wants another order, or
    /// its own telemetry, calls the <c>UseAgentRefine*</c> stages one by one instead.
    /// </remarks>
    /// <param name="builder">The pipeline, e.g. the builder <c>services.AddChatClient(...)</c> returns.</param>
    /// <returns>The same builder.</returns>
    public static ChatClientBuilder UseAgentRefine(this ChatClientBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder
            .UseAgentRefineResponseCache()
            .UseAgentRefineTelemetry()
            .UseAgentRefineLogging()
            .UseAgentRefineResilience()
            .UseAgentRefineRateLimits()
            .UseAgentRefineCallTimeout();
    }

    /// <summary>Adds M.E.AI's <see cref="OpenTelemetryChatClient"/> under the source <see cref="AgentRefineTelemetry.Name"/>, honouring <c>AgentRefineOptions.Telemetry</c>.</summary>
    private static ChatClientBuilder UseAgentRefineTelemetry(this ChatClientBuilder builder) =>
        builder.Use((inner, services) =>
        {
            var logger = services.GetService<ILoggerFactory>()?.CreateLogger<OpenTelemetryChatClient>();
            var telemetry = new OpenTelemetryChatClient(inner, logger, AgentRefineTelemetry.Name);

            // Only an explicit opt-in is applied, so M.E.AI's own switch (OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT) still works.
            if (PipelineSettings.From(services).Telemetry.EnableSensitiveData)
            {
                telemetry.EnableSensitiveData = true;
            }

            return telemetry;
        });

    /// <summary>Adds M.E.AI's <see cref="LoggingChatClient"/> when a real logger factory is registered.</summary>
    private static ChatClientBuilder UseAgentRefineLogging(this ChatClientBuilder builder) =>
        builder.Use((inner, services) =>
            services.GetService<ILoggerFactory>() is { } factory and not NullLoggerFactory
                ? new LoggingChatClient(inner, factory.CreateLogger<LoggingChatClient>())
                : inner);
}
