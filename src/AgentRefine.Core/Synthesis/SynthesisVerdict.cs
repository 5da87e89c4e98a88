using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using AgentRefine.Json;
using AgentRefine.Verification;

namespace AgentRefine.Synthesis;

/// <summary>One step of a persona's history: the verdict on a generation, or a call that failed in transport.</summary>
/// <param name="Stage">What the step was about: a script, a trajectory, or a generation whose call failed after its retries.</param>
/// <param name="Attempt">The generation's number (1-based) within the persona's budget.</param>
/// <param name="Outcome"><c>accepted</c>, <c>continue</c>, <c>regenerate</c>, <c>regenerate-script</c>, or <c>failed</c>.</param>
/// <param name="KeptTurns">Turns kept by the verdict.</param>
/// <param name="ErrorRefineTurns">Error-refine turns counted by the verdict.</param>
/// <param name="Issues">The issues, the deciding one first.</param>
public sealed record SynthesisVerdict(SynthesisStage Stage, int Attempt, string Outcome, int KeptTurns, int ErrorRefineTurns, IReadOnlyList<VerificationIssue> Issues)
{
    /// <summary>The issue code of a generation whose call failed after its transport retries.</summary>
    public const string CallFailedCode = "llm-call-failed";

    /// <summary>The outcome of a generation whose call failed after its transport retries.</summary>
    public const string FailedOutcome = "failed";

    /// <summary>A verdict from the verifier.</summary>
    /// <param name="stage">The stage.</param>
    /// <param name="attempt">The attempt.</param>
    /// <param name="result">The verifier's result.</param>
    /// <returns>The verdict.</returns>
    public static SynthesisVerdict From(SynthesisStage stage, int attempt, VerificationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new(stage, attempt, result.OutcomeName, result.KeptTurns, result.ErrorRefineTurns, result.Issues);
    }

    /// <summary>
    /// For a failed call: a short label of the failure's kind (<c>HTTP 503</c>, <c>unreachable</c>,
    /// <c>timeout</c>, ...; see <see cref="Llm.LlmErrors.Classify"/>). Kept in memory for the run's
    /// statistics, not written (personas with failed calls are not stored).
    /// </summary>
    public string? FailureKind { get; init; }

    /// <summary>For a failed call: the failure's message (never an API key). Not written.</summary>
    public string? FailureMessage { get; init; }

    /// <summary>For a failed call: the transport retries it made before it gave up. Not written.</summary>
    public int Retries { get; init; }

    /// <summary>The JSON name of <see cref="Stage"/>: <c>script</c>, <c>trajectory</c> or <c>call</c>.</summary>
    public string StageName => SynthesisJsonNames.Of(Stage);

    /// <summary>The deciding issue's code, or <see langword="null"/> when accepted.</summary>
    public string? DecidingCode => Issues.Count > 0 ? Issues[0].Code : null;

    /// <summary>
    /// Writes the verdict as <c>{"stage", "attempt", "outcome", "keptTurns", "errorRefineTurns", "issues"}</c>:
    /// the stage and attempt, then the properties of <see cref="VerificationResult.WriteTo"/>.
    /// </summary>
    /// <param name="writer">The destination.</param>
    public void WriteTo(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteString("stage", StageName);
        writer.WriteNumber("attempt", Attempt);
        VerdictJson.WriteProperties(writer, Outcome, KeptTurns, ErrorRefineTurns, Issues);
        writer.WriteEndObject();
    }

    /// <summary>Reads a verdict written by <see cref="WriteTo"/>; <see langword="false"/> when a key is missing or ill-typed.</summary>
    internal static bool TryRead(JsonElement value, [NotNullWhen(true)] out SynthesisVerdict? verdict)
    {
        verdict = null;
        if (value.ValueKind != JsonValueKind.Object
            || !value.TryGetProperty("stage", out var stageValue) || stageValue.ValueKind != JsonValueKind.String
            || !SynthesisJsonNames.TryParse(stageValue.GetString()!, out SynthesisStage stage)
            || !value.TryGetProperty("attempt", out var attemptValue) || !JsonValues.TryGetInt32(attemptValue, out var attempt)
            || !VerdictJson.TryReadProperties(value, out var outcome, out var kept, out var errorRefine, out var issues))
        {
            return false;
        }

        verdict = new SynthesisVerdict(stage, attempt, outcome, kept, errorRefine, issues);
        return true;
    }
}
