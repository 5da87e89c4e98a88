using System.Text.Json;
using AgentRefine.Json;

namespace AgentRefine.Verification;

/// <summary>
/// The verdict's JSON, written and read in one place: the properties <c>"outcome"</c>,
/// <c>"keptTurns"</c>, <c>"errorRefineTurns"</c> and <c>"issues"</c>, shared by
/// <see cref="VerificationResult.WriteTo"/> (the <c>agentrefine verify</c> contract) and the verdicts
/// of a synthesis record (which put their stage and attempt before them).
/// </summary>
internal static class VerdictJson
{
    /// <summary>Writes the four verdict properties into the object being written.</summary>
    public static void WriteProperties(Utf8JsonWriter writer, string outcome, int keptTurns, int errorRefineTurns, IReadOnlyList<VerificationIssue> issues)
    {
        writer.WriteString("outcome", outcome);
        writer.WriteNumber("keptTurns", keptTurns);
        writer.WriteNumber("errorRefineTurns", errorRefineTurns);
        writer.WriteStartArray("issues");
        foreach (var issue in issues)
        {
            issue.WriteTo(writer);
        }

        writer.WriteEndArray();
    }

    /// <summary>Reads the four verdict properties of an object; <see langword="false"/> when one is missing or ill-typed.</summary>
    public static bool TryReadProperties(JsonElement verdict, out string outcome, out int keptTurns, out int errorRefineTurns, out IReadOnlyList<VerificationIssue> issues)
    {
        outcome = string.Empty;
        keptTurns = 0;
        errorRefineTurns = 0;
        issues = [];
        if (verdict.ValueKind != JsonValueKind.Object
            || !verdict.TryGetProperty("outcome", out var outcomeValue) || outcomeValue.ValueKind != JsonValueKind.String
            || !verdict.TryGetProperty("keptTurns", out var kept) || !JsonValues.TryGetInt32(kept, out keptTurns) || keptTurns < 0
            || !verdict.TryGetProperty("errorRefineTurns", out var refine) || !JsonValues.TryGetInt32(refine, out errorRefineTurns) || errorRefineTurns < 0
            || !verdict.TryGetProperty("issues", out var issueValues) || issueValues.ValueKind != JsonValueKind.Array)
        {
            return false;
        }

        var read = new List<VerificationIssue>(issueValues.GetArrayLength());
        foreach (var issueValue in issueValues.EnumerateArray())
        {
            if (!VerificationIssue.TryRead(issueValue, out var issue))
            {
                return false;
            }

            read.Add(issue);
        }

        outcome = outcomeValue.GetString()!;
        issues = read;
        return true;
    }
}
