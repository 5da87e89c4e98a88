using Microsoft.ML.Tokenizers;

namespace AgentRefine.Tokenization;

/// <summary>
/// Byte-level BPE (Llama-3, GPT-2 and the other <c>tokenizer.json</c> files with a <c>ByteLevel</c>
/// pre-tokenizer) on <see cref="TiktokenTokenizer"/>: the text is split with the file's pattern, and
/// each piece is encoded on its own (BPE never merges across pieces), so each id's piece, and with it
/// its label, is known.
/// </summary>
internal sealed class ByteLevelEncoder(TiktokenTokenizer tokenizer, ByteLevelPreTokenizer preTokenizer) : TextEncoder
{
    public override void Encode(ReadOnlySpan<char> segment, bool atStart, TokenRowBuilder row, int trainedStart, int trainedEnd)
    {
        if (segment.IsEmpty)
        {
            return;
        }

        var pieces = new List<(int Offset, int Length)>(segment.Length / 3 + 1);
        preTokenizer.Split(segment, pieces);
        foreach (var (offset, length) in pieces)
        {
            var trained = TokenRowBuilder.Overlaps(offset, offset + length, trainedStart, trainedEnd);
            foreach (var id in tokenizer.EncodeToIds(segment.Slice(offset, length), considerPreTokenization: false, considerNormalization: false))
            {
                row.Add(id, trained);
            }
        }
    }

    public override string Decode(IEnumerable<int> ids) => tokenizer.Decode(ids);
}
