namespace AgentRefine.Synthesis;

/// <summary>Tokens used, as reported by the model's responses.</summary>
/// <param name="InputTokens">Prompt tokens.</param>
/// <param name="OutputTokens">Completion tokens.</param>
public sealed record TokenUsage(long InputTokens, long OutputTokens)
{
    /// <summary>No tokens.</summary>
    public static TokenUsage Zero { get; } = new(0, 0);

    /// <summary>
    /// Prompt tokens the server read from its prompt cache (<c>UsageDetails.CachedInputTokenCount</c>),
    /// a part of <see cref="InputTokens"/>; 0 when none or not reported. A record's <c>usage</c> holds
    /// <c>cachedInputTokens</c> only when it is not 0.
    /// </summary>
    public long CachedInputTokens { get; init; }

    /// <summary>Input plus output tokens.</summary>
    public long TotalTokens => InputTokens + OutputTokens;
}
