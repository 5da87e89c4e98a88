using System.Text.Json;

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
}
