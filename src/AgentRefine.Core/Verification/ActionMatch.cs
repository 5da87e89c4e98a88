using AgentRefine.Scripts;

namespace AgentRefine.Verification;

/// <summary>The result of matching one action string.</summary>
/// <param name="Status">How it fared.</param>
/// <param name="Action">The script action it matched (for <see cref="ActionMatchStatus.Matched"/> and <see cref="ActionMatchStatus.InvalidValue"/>).</param>
/// <param name="Values">The captured values, trimmed, one per placeholder occurrence, left to right.</param>
/// <param name="Message">Why it did not match; empty when it did.</param>
public sealed record ActionMatch(ActionMatchStatus Status, ScriptAction? Action, IReadOnlyList<KeyValuePair<string, string>> Values, string Message)
{
    /// <summary>Whether the action is valid.</summary>
    public bool IsMatch => Status == ActionMatchStatus.Matched;
}
