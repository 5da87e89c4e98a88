namespace AgentRefine.Tokenization;

/// <summary>
/// Encodes the text between special tokens exactly as the model's Hugging Face tokenizer encodes that
/// stretch of a longer string: Hugging Face splits special tokens out first and tokenizes each stretch
/// between them on its own, so a row built stretch by stretch has the ids of the whole rendered text.
/// </summary>
internal abstract class TextEncoder
{
    /// <summary>
    /// Appends the ids of <paramref name="segment"/>, each labelled as trained when its characters
    /// overlap <c>[trainedStart, trainedEnd)</c> (a token that holds both template text and trained
    /// content is trained: it carries content the model must produce).
    /// </summary>
    /// <param name="segment">Text without special tokens.</param>
    /// <param name="atStart">Whether the segment starts the whole text (a SentencePiece tokenizer adds its dummy prefix only there).</param>
    /// <param name="row">The row.</param>
    /// <param name="trainedStart">The first trained character.</param>
    /// <param name="trainedEnd">The end of the trained characters; equal to <paramref name="trainedStart"/> when none is.</param>
    public abstract void Encode(ReadOnlySpan<char> segment, bool atStart, TokenRowBuilder row, int trainedStart, int trainedEnd);

    /// <summary>Hugging Face's <c>decode(ids)</c> (special tokens kept).</summary>
    public abstract string Decode(IEnumerable<int> ids);
}
