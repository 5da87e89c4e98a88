using AgentRefine.Diagnostics;
using AgentRefine.Conversion;
using AgentRefine.Json;
using AgentRefine.Personas;
using AgentRefine.Synthesis;
using AgentRefine.Tokenization;
using AgentRefine.Verification;

namespace AgentRefine;

/// <summary>
/// The library's settings, bound through the options pattern by
/// <c>services.AddAgentRefine(options =&gt; ...)</c> (configuration section suggestion: <c>AgentRefine</c>).
/// </summary>
public sealed class AgentRefineOptions
{
    /// <summary>Verification settings (minimum error-refine turns, regex timeout and engine): those synthesis verifies under, and the defaults for records whose provenance names none.</summary>
    public VerifierOptions Verification { get; set; } = new();

    /// <summary>Size limits applied when reading model output and files.</summary>
    public JsonReadLimits ReadLimits { get; set; } = new();

    /// <summary>Synthesis settings (call budget, concurrency, sampling, retries, rate limits, cache).</summary>
    public SynthesisOptions Synthesis { get; set; } = new();

    /// <summary>What telemetry may contain (prompt text in model-call spans is off by default).</summary>
    public TelemetryOptions Telemetry { get; set; } = new();

    /// <summary>Conversion settings of the registered <see cref="RefinementTuningConverter"/> (mode, prompt template, system prompt, strictness, a minimum error-refine override).</summary>
    public ConversionOptions Conversion { get; set; } = new();

    /// <summary>Where the registered <see cref="IPersonaSource"/> reads personas.</summary>
    public PersonaSourceOptions Personas { get; set; } = new();

    /// <summary>The model folder and chat template of the registered <see cref="ModelTokenizer"/> and <see cref="ChatTemplate"/>, and the maximum row length.</summary>
    public TokenizationOptions Tokenization { get; set; } = new();

    /// <summary>Settings of the registered <see cref="Agents.AgentRunner"/> and <see cref="Agents.EvaluationRun"/> (step limit, prompt layout, context budget, run name, concurrency).</summary>
    public Agents.AgentRunnerOptions Agent { get; set; } = new();

    /// <summary>Settings of the script environments the registered <see cref="Environments.ScriptEnvironmentFactory"/> makes (the Dungeon Master's sampling and reply budget).</summary>
    public Environments.ScriptEnvironmentOptions ScriptEnvironment { get; set; } = new();
}
