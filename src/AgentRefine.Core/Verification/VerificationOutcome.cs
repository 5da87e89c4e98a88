namespace AgentRefine.Verification;

/// <summary>What the synthesis loop does next with a verified script or trajectory.</summary>
public enum VerificationOutcome
{
    /// <summary>Everything passed: keep the record. JSON <c>"accepted"</c>.</summary>
    Accepted,

    /// <summary>Keep the verified prefix (<see cref="VerificationResult.KeptTurns"/> turns) and ask the model to continue from it. JSON <c>"continue"</c>.</summary>
    Continue,

    /// <summary>Discard the trajectory and simulate a new one from scratch. JSON <c>"regenerate"</c>.</summary>
    Regenerate,

    /// <summary>The script itself failed: generate a new script. JSON <c>"regenerate-script"</c>.</summary>
    RegenerateScript,
}
