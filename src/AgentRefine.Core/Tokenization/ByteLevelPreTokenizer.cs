using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;

namespace AgentRefine.Tokenization;

/// <summary>
/// The split step of a Hugging Face byte-level pre-tokenizer (<c>Split</c> with behaviour
/// <c>Isolated</c>): every match of the pattern is a piece, and so is every stretch between matches.
/// Text with characters outside the Basic Multilingual Plane is split with the pattern rewritten by
/// <see cref="CodePointPattern"/>, so it matches code points as Hugging Face's does; other text with
/// the pattern as written (the same splits, faster).
/// </summary>
internal sealed class ByteLevelPreTokenizer : PreTokenizer
{
    private readonly Regex _bmp;
    private readonly Regex _codePoints;

    /// <summary>Creates the pre-tokenizer.</summary>
    /// <param name="pattern">The split pattern of <c>tokenizer.json</c>.</param>
    /// <exception cref="NotSupportedException">The pattern uses a construct <see cref="CodePointPattern"/> does not translate.</exception>
    /// <exception cref="ArgumentException">The pattern is not a valid .NET regular expression.</exception>
    public ByteLevelPreTokenizer(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        Pattern = pattern;
        // The pattern comes from the model's own tokenizer file, not from a model's output.
        _bmp = new Regex(pattern, RegexOptions.Compiled | RegexOptions.CultureInvariant);
        _codePoints = new Regex(CodePointPattern.Rewrite(pattern), RegexOptions.Compiled | RegexOptions.CultureInvariant);
    }

    /// <summary>The pattern as written in <c>tokenizer.json</c>.</summary>
    public string Pattern { get; }

    /// <summary>Appends the pieces of <paramref name="text"/> as (offset, length).</summary>
    public void Split(ReadOnlySpan<char> text, List<(int Offset, int Length)> pieces)
    {
        var regex = text.ContainsAnyInRange('\uD800', '\uDFFF') ? _codePoints : _bmp;
        var last = 0;
        foreach (var match in regex.EnumerateMatches(text))
        {
            if (match.Length == 0)
            {
                continue;
            }

            if (match.Index > last)
            {
                pieces.Add((last, match.Index - last));
            }

            pieces.Add((match.Index, match.Length));
            last = match.Index + match.Length;
        }

        if (last < text.Length)
        {
            pieces.Add((last, text.Length - last));
        }
    }

    /// <inheritdoc />
    public override IEnumerable<(int Offset, int Length)> PreTokenize(string text) => PreTokenize(text.AsSpan());

    /// <inheritdoc />
    public override IEnumerable<(int Offset, int Length)> PreTokenize(ReadOnlySpan<char> text)
    {
        var pieces = new List<(int Offset, int Length)>();
        Split(text, pieces);
        return pieces;
    }
}
