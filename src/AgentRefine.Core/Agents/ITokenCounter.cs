namespace AgentRefine.Agents;

/// <summary>
/// Counts the tokens of a text for the agent's context budget. Plug in the model's own tokenizer (for
/// example a <c>Microsoft.ML.Tokenizers</c> <c>Tokenizer</c>: <c>text =&gt; tokenizer.CountTokens(text)</c>)
/// for exact truncation; without one, <see cref="EstimatedTokenCounter"/> is used. Must be thread-safe.
/// </summary>
public interface ITokenCounter
{
    /// <summary>Counts the tokens of <paramref name="text"/>.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The number of tokens, 0 or more.</returns>
    int CountTokens(string text);
}
