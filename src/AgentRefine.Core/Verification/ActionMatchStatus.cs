namespace AgentRefine.Verification;

/// <summary>How an action string fared against a script's verification codes.</summary>
public enum ActionMatchStatus
{
    /// <summary>It fully matches a verification code and every captured value is valid.</summary>
    Matched,

    /// <summary>It fully matches a verification code but a captured value is not one of the placeholder's values.</summary>
    InvalidValue,

    /// <summary>A match ran past the timeout (counted as no match).</summary>
    TimedOut,

    /// <summary>It fully matches no verification code.</summary>
    NoMatch,
}
