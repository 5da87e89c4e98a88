using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using AgentRefine.Json;

namespace AgentRefine.Verification;

/// <summary>One problem found by the verifier.</summary>
/// <param name="Code">The stable code (see <see cref="VerificationIssueCodes"/>), or a host's own code.</param>
/// <param name="Turn">The 0-based index of the turn in the trajectory array; <see langword="null"/> for script issues and whole-trajectory issues.</param>
/// <param name="Message">A human-readable explanation, also sent back to the model as feedback.</param>
public sealed record VerificationIssue(string Code, int? Turn, string Message)
{
    /// <summary>Writes the issue as <c>{"code", "turn", "message"}</c> (<c>turn</c> is <see langword="null"/> when absent).</summary>
    /// <param name="writer">The destination.</param>
    public void WriteTo(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteString("code", Code);
        if (Turn is { } turn)
        {
            writer.WriteNumber("turn", turn);
        }
        else
        {
            writer.WriteNull("turn");
        }

        writer.WriteString("message", Message);
        writer.WriteEndObject();
    }

    /// <summary>Reads an issue written by <see cref="WriteTo"/>; <see langword="false"/> when a key is missing or ill-typed.</summary>
    internal static bool TryRead(JsonElement value, [NotNullWhen(true)] out VerificationIssue? issue)
    {
        issue = null;
        if (value.ValueKind != JsonValueKind.Object
            || !value.TryGetProperty("code", out var code) || code.ValueKind != JsonValueKind.String
            || !value.TryGetProperty("message", out var message) || message.ValueKind != JsonValueKind.String)
        {
            return false;
        }

        int? turn = null;
        if (value.TryGetProperty("turn", out var turnValue) && turnValue.ValueKind != JsonValueKind.Null)
        {
            if (!JsonValues.TryGetInt32(turnValue, out var number) || number < 0)
            {
                return false;
            }

            turn = number;
        }

        issue = new VerificationIssue(code.GetString()!, turn, message.GetString()!);
        return true;
    }
}
