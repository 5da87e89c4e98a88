namespace AgentRefine.Verification;

/// <summary>
/// The stable codes of verification issues, in the order the checks run. Scripts: <see cref="ScriptJson"/>
/// to <see cref="ActionSelfCheck"/>; trajectories: <see cref="JsonFormat"/> to <see cref="TooFewRefinements"/>.
/// </summary>
public static class VerificationIssueCodes
{
    /// <summary>The script is not a JSON object (or could not be read within the limits).</summary>
    public const string ScriptJson = "script-json";

    /// <summary><c>Goal</c>, <c>Completion Conditions</c> or <c>Available Actions</c> is missing, empty or of the wrong type.</summary>
    public const string ScriptMissingKey = "script-missing-key";

    /// <summary>An action's verification code is missing, too long, or does not compile.</summary>
    public const string RegexInvalid = "regex-invalid";

    /// <summary>An action's placeholders, <c>parameters</c> keys and capture groups do not agree.</summary>
    public const string PlaceholderMismatch = "placeholder-mismatch";

    /// <summary>Matching an action's own instantiation against its verification code timed out.</summary>
    public const string RegexTimeout = "regex-timeout";

    /// <summary>An action's template, filled with valid values, does not fully match its verification code or captures other values.</summary>
    public const string ActionSelfCheck = "action-self-check";

    /// <summary>The trajectory's JSON is malformed or truncated at a turn.</summary>
    public const string JsonFormat = "json-format";

    /// <summary>A turn has a missing, extra or ill-typed key, or a role other than DM/Player.</summary>
    public const string TurnKeys = "turn-keys";

    /// <summary>The trajectory does not start with DM, does not alternate, or turn numbers are not consecutive.</summary>
    public const string TurnOrder = "turn-order";

    /// <summary>A Player action matches no action with valid values, and the next DM turn does not flag a parameter error.</summary>
    public const string ActionUnmatched = "action-unmatched";

    /// <summary>The last turn is not a DM turn declaring the task completed.</summary>
    public const string NotCompleted = "not-completed";

    /// <summary>The trajectory has fewer error-refine turns than required.</summary>
    public const string TooFewRefinements = "too-few-refinements";

    /// <summary>Every code, in check order.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        ScriptJson, ScriptMissingKey, RegexInvalid, PlaceholderMismatch, RegexTimeout, ActionSelfCheck,
        JsonFormat, TurnKeys, TurnOrder, ActionUnmatched, NotCompleted, TooFewRefinements,
    ];
}
