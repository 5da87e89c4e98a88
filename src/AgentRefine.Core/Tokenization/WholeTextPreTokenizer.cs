using Microsoft.ML.Tokenizers;

namespace AgentRefine.Tokenization;

/// <summary>No pre-tokenization: the whole text is one word (a SentencePiece model, or Hugging Face's <c>Metaspace</c> with <c>split: false</c>).</summary>
internal sealed class WholeTextPreTokenizer : PreTokenizer
{
    public static WholeTextPreTokenizer Instance { get; } = new();

    public override IEnumerable<(int Offset, int Length)> PreTokenize(string text) => PreTokenize(text.AsSpan());

    public override IEnumerable<(int Offset, int Length)> PreTokenize(ReadOnlySpan<char> text) => text.IsEmpty ? [] : [(0, text.Length)];
}
