using AgentRefine.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace AgentRefine.Llm;

/// <summary>
/// The chat stages' settings as the composition root registers them (<c>AddAgentRefine</c> binds them
/// from <c>AgentRefineOptions</c>), so that <c>Llm/</c> depends on no later stage. A provider without
/// them (no <c>AddAgentRefine</c>) gets the defaults.
/// </summary>
/// <param name="Resilience">Retries, rate limits and the time budget; <see langword="null"/> turns those stages off.</param>
/// <param name="Telemetry">What telemetry may contain.</param>
internal sealed record PipelineSettings(LlmResilienceOptions? Resilience, TelemetryOptions Telemetry)
{
    private static readonly PipelineSettings Defaults = new(new LlmResilienceOptions(), new TelemetryOptions());

    public static PipelineSettings From(IServiceProvider services) => services.GetService<PipelineSettings>() ?? Defaults;
}
