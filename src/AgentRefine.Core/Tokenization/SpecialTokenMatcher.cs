using System.Buffers;

namespace AgentRefine.Tokenization;

/// <summary>
/// Finds a tokenizer's special (added) tokens in text the way Hugging Face's added vocabulary does:
/// leftmost first, and the longest token where several start at the same place.
/// </summary>
internal sealed class SpecialTokenMatcher
{
    private readonly SearchValues<string>? _any;
    private readonly Dictionary<char, (string Token, int Id)[]> _byFirstChar;

    public SpecialTokenMatcher(IReadOnlyDictionary<string, int> tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        Tokens = tokens;
        var nonEmpty = tokens.Where(p => p.Key.Length > 0).ToArray();
        _any = nonEmpty.Length == 0 ? null : SearchValues.Create(nonEmpty.Select(p => p.Key).ToArray(), StringComparison.Ordinal);
        _byFirstChar = nonEmpty
            .GroupBy(p => p.Key[0])
            .ToDictionary(g => g.Key, g => g.OrderByDescending(p => p.Key.Length).Select(p => (p.Key, p.Value)).ToArray());
    }

    /// <summary>The tokens, by text.</summary>
    public IReadOnlyDictionary<string, int> Tokens { get; }

    /// <summary>The first token in <paramref name="text"/>, if any.</summary>
    /// <param name="text">The text.</param>
    /// <param name="index">Where it starts.</param>
    /// <param name="length">Its length.</param>
    /// <param name="id">Its id.</param>
    /// <returns>Whether a token was found.</returns>
    public bool TryFind(ReadOnlySpan<char> text, out int index, out int length, out int id)
    {
        index = _any is null ? -1 : text.IndexOfAny(_any);
        if (index >= 0)
        {
            foreach (var (token, tokenId) in _byFirstChar[text[index]])
            {
                if (text[index..].StartsWith(token, StringComparison.Ordinal))
                {
                    length = token.Length;
                    id = tokenId;
                    return true;
                }
            }
        }

        length = 0;
        id = -1;
        return false;
    }

    /// <summary>The first token found in <paramref name="text"/>, or <see langword="null"/>.</summary>
    public string? FindFirst(ReadOnlySpan<char> text) =>
        TryFind(text, out var index, out var length, out _) ? text.Slice(index, length).ToString() : null;
}
