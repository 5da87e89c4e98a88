using System.Text;

namespace AgentRefine.Agents;

/// <summary>
/// The token estimate used when no tokenizer is given: one token per 3 UTF-8 bytes, rounded up. English
/// text runs at about 4 characters a token with BPE tokenizers (Llama 3, GPT-4), so this over-counts it
/// by about a third, and it counts about one token per character for CJK text (3 bytes a character):
/// the estimate errs on the side of dropping history a little early rather than overflowing the
/// context. Chat messages add <see cref="MessageOverhead"/> tokens each for the chat template.
/// </summary>
public sealed class EstimatedTokenCounter : ITokenCounter
{
    /// <summary>UTF-8 bytes per estimated token.</summary>
    public const int BytesPerToken = 3;

    /// <summary>Tokens added per chat message for its role and separators (the chat template), whatever the counter.</summary>
    public const int MessageOverhead = 4;

    /// <summary>The shared instance.</summary>
    public static EstimatedTokenCounter Instance { get; } = new();

    /// <inheritdoc />
    public int CountTokens(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return (Encoding.UTF8.GetByteCount(text) + BytesPerToken - 1) / BytesPerToken;
    }
}
