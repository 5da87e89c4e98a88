using System.Text.Json;
using AgentRefine.Trajectories;

namespace AgentRefine.Verification;

/// <summary>The verdict on a script or a trajectory.</summary>
public sealed class VerificationResult
{
    /// <summary>Creates a verdict.</summary>
    /// <param name="outcome">What to do next.</param>
    /// <param name="verifiedTurns">The turns kept (the verified prefix, or the whole accepted trajectory).</param>
    /// <param name="errorRefineTurns">The number of error-refine turns counted.</param>
    /// <param name="issues">The issues, the deciding one first.</param>
    /// <param name="feedback">The text to send back to the model.</param>
    public VerificationResult(VerificationOutcome outcome, Trajectory verifiedTurns, int errorRefineTurns, IReadOnlyList<VerificationIssue> issues, string feedback)
    {
        ArgumentNullException.ThrowIfNull(verifiedTurns);
        ArgumentNullException.ThrowIfNull(issues);
        ArgumentNullException.ThrowIfNull(feedback);
        Outcome = outcome;
        VerifiedTurns = verifiedTurns;
        ErrorRefineTurns = errorRefineTurns;
        Issues = issues;
        Feedback = feedback;
    }

    /// <summary>What to do next.</summary>
    public VerificationOutcome Outcome { get; }

    /// <summary>Whether the script or trajectory is accepted.</summary>
    public bool IsAccepted => Outcome == VerificationOutcome.Accepted;

    /// <summary>
    /// The turns kept: the verified prefix to continue from (<see cref="VerificationOutcome.Continue"/>),
    /// the whole trajectory (<see cref="VerificationOutcome.Accepted"/>), or none.
    /// </summary>
    public Trajectory VerifiedTurns { get; }

    /// <summary>The number of turns kept (<see cref="VerifiedTurns"/>' count).</summary>
    public int KeptTurns => VerifiedTurns.Count;

    /// <summary>
    /// The number of error-refine turns: DM turns with an error flag that a later DM turn without one
    /// follows. Counted over the kept turns, or over the whole trajectory when it is regenerated for
    /// having too few.
    /// </summary>
    public int ErrorRefineTurns { get; }

    /// <summary>The issues found, the deciding one first; empty when accepted.</summary>
    public IReadOnlyList<VerificationIssue> Issues { get; }

    /// <summary>The feedback text for the model: what failed and what to do.</summary>
    public string Feedback { get; }

    /// <summary>The JSON name of <see cref="Outcome"/>: <c>accepted</c>, <c>continue</c>, <c>regenerate</c> or <c>regenerate-script</c>.</summary>
    public string OutcomeName => Outcome switch
    {
        VerificationOutcome.Accepted => "accepted",
        VerificationOutcome.Continue => "continue",
        VerificationOutcome.Regenerate => "regenerate",
        _ => "regenerate-script",
    };

    /// <summary>
    /// Writes the verdict as <c>{"outcome", "keptTurns", "errorRefineTurns", "issues": [{"code", "turn", "message"}]}</c>
    /// (the <c>agentrefine verify</c> contract; a synthesis record's verdicts hold the same properties after their stage and attempt).
    /// </summary>
    /// <param name="writer">The destination.</param>
    public void WriteTo(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        VerdictJson.WriteProperties(writer, OutcomeName, KeptTurns, ErrorRefineTurns, Issues);
        writer.WriteEndObject();
    }
}
