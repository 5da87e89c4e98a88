using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AgentRefine.Llm;

/// <summary>Reads the chat pipeline's settings from <c>AgentRefineOptions</c> in a service provider (defaults when it has none).</summary>
internal static class PipelineSettings
{
    public static AgentRefineOptions Options(IServiceProvider services) =>
        services.GetService<IOptions<AgentRefineOptions>>()?.Value ?? new AgentRefineOptions();

    public static LlmResilienceOptions? Resilience(IServiceProvider services)
    {
        var synthesis = Options(services).Synthesis;
        return synthesis is null ? new LlmResilienceOptions() : synthesis.Resilience;
    }
}
