using Google.Protobuf;

namespace AgentRefine.Tokenization;

/// <summary>
/// The parts of a SentencePiece <c>tokenizer.model</c> (a <c>ModelProto</c> protocol buffer) that
/// encoding needs: the pieces with their scores and types, the model type, byte fallback, the special
/// ids, and the normalizer settings.
/// </summary>
internal sealed class SentencePieceModelFile
{
    // sentencepiece_model.proto field numbers.
    private const int PiecesField = 1;
    private const int TrainerSpecField = 2;
    private const int NormalizerSpecField = 3;

    private SentencePieceModelFile()
    {
    }

    /// <summary>A piece's type (<c>ModelProto.SentencePiece.Type</c>).</summary>
    public enum PieceType
    {
        /// <summary>Ordinary text.</summary>
        Normal = 1,

        /// <summary>The unknown piece.</summary>
        Unknown = 2,

        /// <summary>A control symbol (<c>&lt;s&gt;</c>, <c>[INST]</c>): never produced from text by SentencePiece.</summary>
        Control = 3,

        /// <summary>A user-defined symbol, always one piece.</summary>
        UserDefined = 4,

        /// <summary>Unused.</summary>
        Unused = 5,

        /// <summary>A byte (<c>&lt;0x0A&gt;</c>) for byte fallback.</summary>
        Byte = 6,
    }

    public List<(string Piece, float Score, PieceType Type)> Pieces { get; } = [];

    /// <summary>1 unigram, 2 BPE, 3 word, 4 char.</summary>
    public int ModelType { get; private set; } = 1;

    public bool ByteFallback { get; private set; }

    public bool TreatWhitespaceAsSuffix { get; private set; }

    public int UnknownId { get; private set; }

    public int BeginOfSentenceId { get; private set; } = 1;

    public int EndOfSentenceId { get; private set; } = 2;

    public string NormalizerName { get; private set; } = "nmt_nfkc";

    public bool HasCharsMap { get; private set; }

    public bool AddDummyPrefix { get; private set; } = true;

    public bool RemoveExtraWhitespaces { get; private set; } = true;

    public bool EscapeWhitespaces { get; private set; } = true;

    /// <summary>Reads a model file.</summary>
    /// <exception cref="InvalidDataException">The file is not a SentencePiece model (the message names it).</exception>
    public static SentencePieceModelFile Read(string path)
    {
        var model = new SentencePieceModelFile();
        try
        {
            var input = new CodedInputStream(File.ReadAllBytes(path));
            uint tag;
            while ((tag = input.ReadTag()) != 0)
            {
                switch (WireFormat.GetTagFieldNumber(tag))
                {
                    case PiecesField:
                        model.ReadPiece(new CodedInputStream(input.ReadBytes().ToByteArray()));
                        break;
                    case TrainerSpecField:
                        model.ReadTrainerSpec(new CodedInputStream(input.ReadBytes().ToByteArray()));
                        break;
                    case NormalizerSpecField:
                        model.ReadNormalizerSpec(new CodedInputStream(input.ReadBytes().ToByteArray()));
                        break;
                    default:
                        input.SkipLastField();
                        break;
                }
            }
        }
        catch (InvalidProtocolBufferException exception)
        {
            throw new InvalidDataException($"The tokenizer file '{path}' is not a SentencePiece model: {exception.Message}", exception);
        }

        if (model.Pieces.Count == 0)
        {
            throw new InvalidDataException($"The tokenizer file '{path}' is not a SentencePiece model: it has no pieces.");
        }

        return model;
    }

    private void ReadPiece(CodedInputStream input)
    {
        string piece = string.Empty;
        float score = 0;
        var type = PieceType.Normal;
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1:
                    piece = input.ReadString();
                    break;
                case 2:
                    score = input.ReadFloat();
                    break;
                case 3:
                    type = (PieceType)input.ReadEnum();
                    break;
                default:
                    input.SkipLastField();
                    break;
            }
        }

        Pieces.Add((piece, score, type));
    }

    private void ReadTrainerSpec(CodedInputStream input)
    {
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 3:
                    ModelType = input.ReadEnum();
                    break;
                case 24:
                    TreatWhitespaceAsSuffix = input.ReadBool();
                    break;
                case 35:
                    ByteFallback = input.ReadBool();
                    break;
                case 40:
                    UnknownId = input.ReadInt32();
                    break;
                case 41:
                    BeginOfSentenceId = input.ReadInt32();
                    break;
                case 42:
                    EndOfSentenceId = input.ReadInt32();
                    break;
                default:
                    input.SkipLastField();
                    break;
            }
        }
    }

    private void ReadNormalizerSpec(CodedInputStream input)
    {
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1:
                    NormalizerName = input.ReadString();
                    break;
                case 2:
                    HasCharsMap = input.ReadBytes().Length > 0;
                    break;
                case 3:
                    AddDummyPrefix = input.ReadBool();
                    break;
                case 4:
                    RemoveExtraWhitespaces = input.ReadBool();
                    break;
                case 5:
                    EscapeWhitespaces = input.ReadBool();
                    break;
                default:
                    input.SkipLastField();
                    break;
            }
        }
    }
}
