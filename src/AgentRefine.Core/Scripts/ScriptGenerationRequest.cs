using AgentRefine.Personas;
using AgentRefine.Verification;

namespace AgentRefine.Scripts;

/// <summary>A request for a script: the persona, the attempt number, and the failed previous attempt with its verdict, if any.</summary>
/// <param name="Persona">The persona.</param>
/// <param name="Attempt">The generation's number within the persona's budget (1-based).</param>
public sealed record ScriptGenerationRequest(Persona Persona, int Attempt)
{
    /// <summary>The id of the record being synthesized, if any (sent as <c>agentrefine.record</c>, part of the cache key).</summary>
    public string? RecordId { get; init; }

    /// <summary>The previous script attempt that failed verification, if any.</summary>
    public ScriptGeneration? Previous { get; init; }

    /// <summary>The verdict on <see cref="Previous"/>; its feedback is sent to the model.</summary>
    public VerificationResult? Verdict { get; init; }
}
