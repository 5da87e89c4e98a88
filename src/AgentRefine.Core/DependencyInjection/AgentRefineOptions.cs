using AgentRefine.Llm;
using AgentRefine.Verification;

namespace AgentRefine;

/// <summary>
/// The library's settings, bound through the options pattern by
/// <c>services.AddAgentRefine(options =&gt; ...)</c> (configuration section suggestion: <c>AgentRefine</c>).
/// </summary>
public sealed class AgentRefineOptions
{
    /// <summary>Verification settings (minimum error-refine turns, regex timeout and engine).</summary>
    public VerifierOptions Verification { get; set; } = new();

    /// <summary>Size limits applied when reading model output and files.</summary>
    public JsonReadLimits ReadLimits { get; set; } = new();
}
