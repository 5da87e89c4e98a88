using AgentRefine.Personas;

namespace AgentRefine.Scripts;

/// <summary>A request for a script: the persona, the attempt number, and the failed previous attempt with the verifier's feedback on it, if any.</summary>
/// <param name="Persona">The persona.</param>
/// <param name="Attempt">The generation's number within the persona's budget (1-based).</param>
public sealed record ScriptGenerationRequest(Persona Persona, int Attempt)
{
    /// <summary>The id of the record being synthesized, if any (sent as <c>agentrefine.record</c>, part of the cache key).</summary>
    public string? RecordId { get; init; }

    /// <summary>The previous script attempt that failed verification, if any.</summary>
    public ScriptGeneration? Previous { get; init; }

    /// <summary>The verifier's feedback on <see cref="Previous"/> (what failed and what to fix), sent to the model after it.</summary>
    public string? Feedback { get; init; }
}
