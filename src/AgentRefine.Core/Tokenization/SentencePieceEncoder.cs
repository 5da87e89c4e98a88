using System.Buffers;
using System.Globalization;
using System.Text;
using Microsoft.ML.Tokenizers;

namespace AgentRefine.Tokenization;

/// <summary>
/// A SentencePiece BPE model (Llama-2, Mistral) encoded the way its Hugging Face tokenizer encodes it:
/// spaces become <c>▁</c>, a leading <c>▁</c> is added only where the text starts the string
/// (<c>Metaspace</c> with <c>prepend_scheme: "first"</c>, no split), BPE runs over the merges that
/// Hugging Face's converter derives from the piece scores, on <see cref="BpeTokenizer"/>, and a
/// character that is not a piece becomes its UTF-8 byte pieces (byte fallback).
/// </summary>
/// <remarks>
/// <see cref="LlamaTokenizer"/> 2.0.1 is not used for encoding: where two equal-scored merges overlap
/// (<c>~~~</c>, <c>====</c>, <c>xcccx</c>) it merges the right one first, while SentencePiece and
/// Hugging Face merge the leftmost, and it adds the dummy prefix after every special token.
/// </remarks>
internal sealed class SentencePieceEncoder : TextEncoder
{
    private const char Metaspace = '\u2581';
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly BpeTokenizer _bpe;
    private readonly string[] _pieces;
    private readonly SentencePieceModelFile.PieceType[] _types;
    private readonly bool[] _knownBmp = new bool[65536];
    private readonly HashSet<int> _knownAstral = [];
    private readonly int[] _byteIds = new int[256];
    private readonly int _byteIdBase;
    private readonly bool _addDummyPrefix;

    private SentencePieceEncoder(string path, SentencePieceModelFile model)
    {
        _addDummyPrefix = model.AddDummyPrefix;
        _pieces = [.. model.Pieces.Select(p => p.Piece)];
        _types = [.. model.Pieces.Select(p => p.Type)];
        var normal = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var id = 0; id < _pieces.Length; id++)
        {
            if (_types[id] == SentencePieceModelFile.PieceType.Normal && _pieces[id].Length > 0)
            {
                normal.TryAdd(_pieces[id], id);
                if (_pieces[id].Length == 1 && !char.IsSurrogate(_pieces[id][0]))
                {
                    _knownBmp[_pieces[id][0]] = true;
                }
                else if (_pieces[id].Length == 2 && char.IsSurrogatePair(_pieces[id][0], _pieces[id][1]))
                {
                    _knownAstral.Add(char.ConvertToUtf32(_pieces[id][0], _pieces[id][1]));
                }
            }
        }

        var bytePieces = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var id = 0; id < _pieces.Length; id++)
        {
            if (_types[id] == SentencePieceModelFile.PieceType.Byte)
            {
                bytePieces[_pieces[id]] = id;
            }
        }

        for (var b = 0; b < 256; b++)
        {
            if (!bytePieces.TryGetValue(string.Create(CultureInfo.InvariantCulture, $"<0x{b:X2}>"), out _byteIds[b]))
            {
                throw new InvalidDataException($"The tokenizer file '{path}' uses byte fallback but has no piece <0x{b:X2}>.");
            }
        }

        _byteIdBase = _byteIds[0];
        _bpe = BpeTokenizer.Create(new BpeOptions(normal)
        {
            Merges = Merges(path, model, normal),
            PreTokenizer = WholeTextPreTokenizer.Instance,
        });
        SpecialTokens = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var id = 0; id < _pieces.Length; id++)
        {
            if (_types[id] is SentencePieceModelFile.PieceType.Control or SentencePieceModelFile.PieceType.Unknown or SentencePieceModelFile.PieceType.UserDefined && _pieces[id].Length > 0)
            {
                SpecialTokens.TryAdd(_pieces[id], id);
            }
        }

        BeginOfSentenceId = model.BeginOfSentenceId;
        EndOfSentenceId = model.EndOfSentenceId;
    }

    /// <summary>The control, unknown and user-defined pieces: the added tokens of the Hugging Face tokenizer.</summary>
    public Dictionary<string, int> SpecialTokens { get; }

    public int BeginOfSentenceId { get; }

    public int EndOfSentenceId { get; }

    public int VocabularySize => _pieces.Length;

    /// <summary>Builds the encoder.</summary>
    /// <exception cref="InvalidDataException">The model is not one this encoder reproduces exactly (the message names the file and why).</exception>
    public static SentencePieceEncoder Create(string path, SentencePieceModelFile model)
    {
        ArgumentNullException.ThrowIfNull(model);
        void Require(bool condition, string problem)
        {
            if (!condition)
            {
                throw new InvalidDataException($"The tokenizer file '{path}' is not a SentencePiece model this loader reads exactly: {problem}.");
            }
        }

        Require(model.ModelType == 2, $"it is not a BPE model (model_type {model.ModelType}); Llama-2 and Mistral tokenizers are BPE");
        Require(model.NormalizerName == "identity" || !model.HasCharsMap, $"its normalizer '{model.NormalizerName}' rewrites text, which this loader does not apply");
        Require(!model.RemoveExtraWhitespaces, "it removes extra whitespace, which Hugging Face's tokenizer for it does not");
        Require(!model.TreatWhitespaceAsSuffix, "it treats whitespace as a suffix");
        Require(model.EscapeWhitespaces, "it does not escape whitespace as U+2581");
        Require(model.ByteFallback, "it has no byte fallback, so unknown characters would not be encoded exactly");
        return new SentencePieceEncoder(path, model);
    }

    public override void Encode(ReadOnlySpan<char> segment, bool atStart, TokenRowBuilder row, int trainedStart, int trainedEnd)
    {
        if (segment.IsEmpty)
        {
            return;
        }

        var shift = atStart && _addDummyPrefix && segment[0] is not (' ' or Metaspace) ? 1 : 0;
        var length = segment.Length + shift;
        var rented = ArrayPool<char>.Shared.Rent(length);
        try
        {
            var text = rented.AsSpan(0, length);
            text[0] = Metaspace;
            segment.CopyTo(text[shift..]);
            text.Replace(' ', Metaspace);
            var runStart = 0;
            var i = 0;
            Span<byte> utf8 = stackalloc byte[4];
            while (i < length)
            {
                var width = char.IsHighSurrogate(text[i]) && i + 1 < length && char.IsLowSurrogate(text[i + 1]) ? 2 : 1;
                var known = width == 1 ? _knownBmp[text[i]] : _knownAstral.Contains(char.ConvertToUtf32(text[i], text[i + 1]));
                if (!known)
                {
                    EncodeRun(text, runStart, i, shift, row, trainedStart, trainedEnd);
                    var trained = TokenRowBuilder.Overlaps(i - shift, i + width - shift, trainedStart, trainedEnd);
                    var count = Encoding.UTF8.GetBytes(text.Slice(i, width), utf8);
                    for (var b = 0; b < count; b++)
                    {
                        row.Add(_byteIds[utf8[b]], trained);
                    }

                    runStart = i + width;
                }

                i += width;
            }

            EncodeRun(text, runStart, length, shift, row, trainedStart, trainedEnd);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(rented);
        }
    }

    public override string Decode(IEnumerable<int> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var text = new StringBuilder();
        var bytes = new List<byte>();
        foreach (var id in ids)
        {
            if ((uint)id >= (uint)_pieces.Length)
            {
                throw new ArgumentOutOfRangeException(nameof(ids), id, "The id is not in the vocabulary.");
            }

            if (_types[id] == SentencePieceModelFile.PieceType.Byte)
            {
                bytes.Add((byte)(id - _byteIdBase));
                continue;
            }

            FlushBytes(text, bytes);
            text.Append(_pieces[id].Replace(Metaspace, ' '));
        }

        FlushBytes(text, bytes);
        if (_addDummyPrefix && text.Length > 0 && text[0] == ' ')
        {
            text.Remove(0, 1);
        }

        return text.ToString();
    }

    // Hugging Face's ByteFallback decoder: a run of byte pieces is its UTF-8 text, or one U+FFFD per byte when it is not valid UTF-8.
    private static void FlushBytes(StringBuilder text, List<byte> bytes)
    {
        if (bytes.Count == 0)
        {
            return;
        }

        try
        {
            text.Append(StrictUtf8.GetString([.. bytes]));
        }
        catch (DecoderFallbackException)
        {
            text.Append('\uFFFD', bytes.Count);
        }

        bytes.Clear();
    }

    // Hugging Face's converter (SentencePieceExtractor): every way to split a piece into two pieces is a
    // merge, ranked by the piece's score (highest first), then by the ids of the two halves.
    private static List<string> Merges(string path, SentencePieceModelFile model, Dictionary<string, int> normal)
    {
        var merges = new List<(float Score, int Left, int Right, string Merge)>();
        for (var id = 0; id < model.Pieces.Count; id++)
        {
            var (piece, score, type) = model.Pieces[id];
            if (type != SentencePieceModelFile.PieceType.Normal)
            {
                continue;
            }

            for (var k = 1; k < piece.Length; k++)
            {
                if (char.IsLowSurrogate(piece[k]))
                {
                    continue;
                }

                if (normal.TryGetValue(piece[..k], out var left) && normal.TryGetValue(piece[k..], out var right))
                {
                    if (piece.Contains(' ', StringComparison.Ordinal))
                    {
                        throw new InvalidDataException($"The tokenizer file '{path}' has the piece '{piece}' with a space in it, which BPE merges cannot spell.");
                    }

                    merges.Add((score, left, right, piece[..k] + " " + piece[k..]));
                }
            }
        }

        return [.. merges.OrderByDescending(m => m.Score).ThenBy(m => m.Left).ThenBy(m => m.Right).Select(m => m.Merge)];
    }

    private void EncodeRun(ReadOnlySpan<char> text, int start, int end, int shift, TokenRowBuilder row, int trainedStart, int trainedEnd)
    {
        if (end <= start)
        {
            return;
        }

        var position = start;
        foreach (var id in _bpe.EncodeToIds(text[start..end], considerPreTokenization: false, considerNormalization: false))
        {
            var next = position + _pieces[id].Length;
            row.Add(id, TokenRowBuilder.Overlaps(position - shift, next - shift, trainedStart, trainedEnd));
            position = next;
        }

        if (position != end)
        {
            throw new InvalidOperationException($"BPE covered {position - start} of {end - start} characters; the encoding would not be exact.");
        }
    }
}
