namespace AgentRefine.Verification;

/// <summary>Settings of <see cref="RuleBasedVerifier"/>. Defaults follow the paper.</summary>
public sealed class VerifierOptions
{
    /// <summary>The fewest error-refine turns an accepted trajectory needs. Default 2 (the paper's value).</summary>
    public int MinErrorRefineTurns { get; set; } = 2;

    /// <summary>
    /// How long one match of a verification code may run; a match that runs longer counts as no match
    /// (in a trajectory) or as <c>regex-timeout</c> (in a script's self-check). Default 100 ms.
    /// </summary>
    public TimeSpan RegexMatchTimeout { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Compile verification codes with the non-backtracking engine, whose matching time is linear in
    /// the input; codes it cannot run (look-arounds, back-references, atomic groups) fall back to the
    /// backtracking engine with <see cref="RegexMatchTimeout"/>. Default <see langword="false"/>.
    /// </summary>
    public bool UseNonBacktrackingEngine { get; set; }

    /// <summary>The longest verification code accepted, in characters; a longer one is <c>regex-invalid</c>. Default 2,000.</summary>
    public int MaxVerificationCodeLength { get; set; } = 2_000;

    /// <summary>A copy of these settings.</summary>
    /// <returns>The copy.</returns>
    public VerifierOptions Clone() => new()
    {
        MinErrorRefineTurns = MinErrorRefineTurns,
        RegexMatchTimeout = RegexMatchTimeout,
        UseNonBacktrackingEngine = UseNonBacktrackingEngine,
        MaxVerificationCodeLength = MaxVerificationCodeLength,
    };

    /// <summary>Every setting as one value, for caching verifiers per distinct settings.</summary>
    internal (int MinErrorRefineTurns, TimeSpan RegexMatchTimeout, bool UseNonBacktrackingEngine, int MaxVerificationCodeLength) Key =>
        (MinErrorRefineTurns, RegexMatchTimeout, UseNonBacktrackingEngine, MaxVerificationCodeLength);

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(MinErrorRefineTurns, nameof(MinErrorRefineTurns));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(RegexMatchTimeout, TimeSpan.Zero, nameof(RegexMatchTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxVerificationCodeLength, 1, nameof(MaxVerificationCodeLength));
    }
}
