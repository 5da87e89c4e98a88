using AgentRefine.Verification;

namespace AgentRefine.Synthesis;

/// <summary>One step of a persona's history: the verdict on a generation, or a call that failed in transport.</summary>
/// <param name="Stage"><c>script</c>, <c>trajectory</c>, or <c>call</c> (a generation whose call failed after its retries).</param>
/// <param name="Attempt">The generation's number (1-based) within the persona's budget.</param>
/// <param name="Outcome"><c>accepted</c>, <c>continue</c>, <c>regenerate</c>, <c>regenerate-script</c>, or <c>failed</c>.</param>
/// <param name="KeptTurns">Turns kept by the verdict.</param>
/// <param name="ErrorRefineTurns">Error-refine turns counted by the verdict.</param>
/// <param name="Issues">The issues, the deciding one first.</param>
public sealed record SynthesisVerdict(string Stage, int Attempt, string Outcome, int KeptTurns, int ErrorRefineTurns, IReadOnlyList<VerificationIssue> Issues)
{
    /// <summary>The issue code of a generation whose call failed after its transport retries.</summary>
    public const string CallFailedCode = "llm-call-failed";

    /// <summary>A verdict from the verifier.</summary>
    /// <param name="stage">The stage.</param>
    /// <param name="attempt">The attempt.</param>
    /// <param name="result">The verifier's result.</param>
    /// <returns>The verdict.</returns>
    public static SynthesisVerdict From(string stage, int attempt, VerificationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new(stage, attempt, result.OutcomeName, result.KeptTurns, result.ErrorRefineTurns, result.Issues);
    }

    /// <summary>The deciding issue's code, or <see langword="null"/> when accepted.</summary>
    public string? DecidingCode => Issues.Count > 0 ? Issues[0].Code : null;
}
