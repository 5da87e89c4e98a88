using System.Text.Json;

namespace AgentRefine.Tokenization;

/// <summary>
/// The tokenizer of a Hugging Face model folder, on <c>Microsoft.ML.Tokenizers</c>, producing the ids
/// the model's own Hugging Face tokenizer produces: a byte-level BPE <c>tokenizer.json</c> (Llama-3,
/// GPT-2 style: its split pattern, vocabulary and merges, and the added tokens of <c>tokenizer.json</c>
/// and <c>tokenizer_config.json</c>), or a SentencePiece BPE <c>tokenizer.model</c> (Mistral, Llama-2),
/// read the way Hugging Face's converter reads it. Thread-safe.
/// </summary>
public sealed class ModelTokenizer
{
    /// <summary>The byte-level BPE file of a model folder.</summary>
    public const string TokenizerJsonFile = "tokenizer.json";

    /// <summary>The file beside it with added tokens and the chat template.</summary>
    public const string TokenizerConfigFile = "tokenizer_config.json";

    /// <summary>The SentencePiece model file of a model folder.</summary>
    public const string SentencePieceFile = "tokenizer.model";

    private readonly SpecialTokenMatcher _specials;

    private ModelTokenizer(string directory, string sourceFile, ModelTokenizerKind kind, TextEncoder encoder, IReadOnlyDictionary<string, int> specialTokens, int vocabularySize)
    {
        Directory = directory;
        SourceFile = sourceFile;
        Kind = kind;
        Encoder = encoder;
        SpecialTokens = specialTokens;
        VocabularySize = vocabularySize;
        _specials = new SpecialTokenMatcher(specialTokens);
    }

    /// <summary>The model folder, as a full path.</summary>
    public string Directory { get; }

    /// <summary>The file the tokenizer was read from (<c>tokenizer.json</c> or <c>tokenizer.model</c>), as a full path.</summary>
    public string SourceFile { get; }

    /// <summary>The kind of tokenizer.</summary>
    public ModelTokenizerKind Kind { get; }

    /// <summary>The special tokens by text: the added tokens of <c>tokenizer.json</c> / <c>tokenizer_config.json</c>, or a SentencePiece model's control, unknown and user-defined pieces.</summary>
    public IReadOnlyDictionary<string, int> SpecialTokens { get; }

    /// <summary>The number of ids (one more than the highest id).</summary>
    public int VocabularySize { get; }

    internal TextEncoder Encoder { get; }

    internal SpecialTokenMatcher SpecialTokenMatcher => _specials;

    /// <summary>
    /// Reads the tokenizer of a model folder: <c>tokenizer.json</c> when it holds a byte-level BPE
    /// model, else <c>tokenizer.model</c>.
    /// </summary>
    /// <param name="directory">The model folder.</param>
    /// <returns>The tokenizer.</returns>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="FileNotFoundException">The folder has neither file (the message names the folder and the files looked for).</exception>
    /// <exception cref="InvalidDataException">A file is not valid, or is a kind this loader does not reproduce exactly (the message names the file and why).</exception>
    public static ModelTokenizer Load(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        var full = Path.GetFullPath(directory);
        if (!System.IO.Directory.Exists(full))
        {
            throw new DirectoryNotFoundException($"The tokenizer folder '{full}' does not exist.");
        }

        var json = Path.Combine(full, TokenizerJsonFile);
        var model = Path.Combine(full, SentencePieceFile);
        string? jsonProblem = null;
        if (File.Exists(json))
        {
            using var document = ParseJson(json);
            if (ByteLevelBpeFile.IsByteLevel(document.RootElement))
            {
                var config = Path.Combine(full, TokenizerConfigFile);
                var (encoder, specials, size) = Guard(json, () => ByteLevelBpeFile.Load(json, document.RootElement, File.Exists(config) ? config : null));
                return new ModelTokenizer(full, json, ModelTokenizerKind.ByteLevelBpe, encoder, specials, size);
            }

            jsonProblem = $"'{json}' is not a byte-level BPE tokenizer";
        }

        if (File.Exists(model))
        {
            var sentencePiece = Guard(model, () => SentencePieceEncoder.Create(model, SentencePieceModelFile.Read(model)));
            return new ModelTokenizer(full, model, ModelTokenizerKind.SentencePieceBpe, sentencePiece, sentencePiece.SpecialTokens, sentencePiece.VocabularySize);
        }

        if (jsonProblem is not null)
        {
            throw new InvalidDataException($"The tokenizer folder '{full}' has no {SentencePieceFile}, and {jsonProblem} (a byte-level BPE tokenizer.json or a SentencePiece tokenizer.model is needed).");
        }

        throw new FileNotFoundException($"The tokenizer folder '{full}' has neither {TokenizerJsonFile} (byte-level BPE, e.g. Llama-3) nor {SentencePieceFile} (SentencePiece, e.g. Mistral).", json);
    }

    /// <summary>
    /// Encodes <paramref name="text"/> as Hugging Face's <c>tokenizer.encode(text, add_special_tokens=False)</c>
    /// does: special tokens written in the text are read as such, nothing is added around it.
    /// </summary>
    /// <param name="text">The text.</param>
    /// <returns>The ids.</returns>
    /// <exception cref="ArgumentException">The text is not valid UTF-16 (a lone surrogate), which Hugging Face cannot encode either.</exception>
    public IReadOnlyList<int> Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (Utf16.FirstInvalidIndex(text) is var invalid and >= 0)
        {
            throw new ArgumentException($"The text has a lone surrogate at index {invalid}.", nameof(text));
        }

        var row = new TokenRowBuilder();
        var rest = text.AsSpan();
        var offset = 0;
        while (_specials.TryFind(rest, out var index, out var length, out var id))
        {
            Encoder.Encode(rest[..index], atStart: offset == 0, row, 0, 0);
            row.Add(id, trained: false);
            offset += index + length;
            rest = rest[(index + length)..];
        }

        Encoder.Encode(rest, atStart: offset == 0, row, 0, 0);
        return row.Ids;
    }

    /// <summary>
    /// Decodes ids as the Hugging Face tokenizers library's <c>decode(ids)</c> does: special tokens are kept
    /// as text, and transformers' <c>clean_up_tokenization_spaces</c> is not applied.
    /// </summary>
    /// <param name="ids">The ids.</param>
    /// <returns>The text.</returns>
    public string Decode(IEnumerable<int> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        return Encoder.Decode(ids);
    }

    /// <summary>The id of a special token.</summary>
    /// <exception cref="InvalidDataException">The tokenizer has no such token (the message names its file).</exception>
    internal int RequireSpecialToken(string token, string template) => SpecialTokens.TryGetValue(token, out var id)
        ? id
        : throw new InvalidDataException($"The chat template '{template}' needs the special token '{token}', which the tokenizer '{SourceFile}' does not have.");

    // A file of the right kind with a malformed part (a merge that is a number, a piece the BPE cannot build) is reported as invalid, naming the file.
    private static T Guard<T>(string path, Func<T> load)
    {
        try
        {
            return load();
        }
        catch (Exception exception) when (exception is InvalidOperationException or KeyNotFoundException or FormatException or IndexOutOfRangeException or ArgumentException)
        {
            throw new InvalidDataException($"The tokenizer file '{path}' cannot be read: {exception.Message}", exception);
        }
    }

    private static JsonDocument ParseJson(string path)
    {
        try
        {
            return JsonDocument.Parse(File.ReadAllBytes(path), new JsonDocumentOptions { MaxDepth = 256 });
        }
        catch (JsonException exception)
        {
            throw new InvalidDataException($"The tokenizer file '{path}' is not valid JSON: {exception.Message}", exception);
        }
    }
}
