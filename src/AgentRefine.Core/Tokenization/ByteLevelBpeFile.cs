using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.ML.Tokenizers;

namespace AgentRefine.Tokenization;

/// <summary>
/// Reads a Hugging Face <c>tokenizer.json</c> that holds a byte-level BPE model (Llama-3, GPT-2 and
/// their kin) into a <see cref="TiktokenTokenizer"/>: the vocabulary (token bytes and their ranks),
/// the pre-tokenizer's split pattern, and the added tokens of <c>tokenizer.json</c> and
/// <c>tokenizer_config.json</c>. Tiktoken merges by the rank of the merged token, Hugging Face by the
/// order of <c>merges</c>; the two agree when the merges are listed in the order of their tokens' ids,
/// as they are for vocabularies trained that way (Llama-3's and GPT-2's), and a file whose merges are not
/// is refused rather than encoded differently.
/// </summary>
internal static class ByteLevelBpeFile
{
    /// <summary>GPT-2's pattern: the split a <c>ByteLevel</c> pre-tokenizer with <c>use_regex: true</c> applies.</summary>
    public const string Gpt2Pattern = @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

    /// <summary>Whether <paramref name="root"/> (a parsed <c>tokenizer.json</c>) is a byte-level BPE model.</summary>
    public static bool IsByteLevel(JsonElement root) =>
        root.TryGetProperty("model", out var model) && model.ValueKind == JsonValueKind.Object
        && model.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String && type.GetString() == "BPE"
        && root.TryGetProperty("pre_tokenizer", out var pre) && FindByteLevel(pre) is not null;

    /// <summary>Builds the encoder.</summary>
    /// <param name="path">The <c>tokenizer.json</c> file, for messages.</param>
    /// <param name="root">Its parsed content.</param>
    /// <param name="configPath">The <c>tokenizer_config.json</c> file beside it, if there is one.</param>
    /// <returns>The encoder, the special (added) tokens, and the vocabulary size.</returns>
    /// <exception cref="InvalidDataException">The file is not one this loader reads exactly (the message names the file and why).</exception>
    public static (ByteLevelEncoder Encoder, Dictionary<string, int> SpecialTokens, int VocabularySize) Load(string path, JsonElement root, string? configPath)
    {
        var model = root.GetProperty("model");
        Require(path, !root.TryGetProperty("normalizer", out var normalizer) || normalizer.ValueKind == JsonValueKind.Null, "it has a normalizer, which this loader does not apply");
        Require(path, !model.TryGetProperty("byte_fallback", out var fallback) || fallback.ValueKind != JsonValueKind.True, "its BPE model uses byte_fallback, which a byte-level model does not need");
        foreach (var name in new[] { "continuing_subword_prefix", "end_of_word_suffix" })
        {
            Require(path, !model.TryGetProperty(name, out var affix) || affix.ValueKind == JsonValueKind.Null || affix.GetString() is "", $"its BPE model sets {name}, which this loader does not apply");
        }

        var pattern = SplitPattern(path, root.GetProperty("pre_tokenizer"));
        Require(path, model.TryGetProperty("vocab", out var vocab) && vocab.ValueKind == JsonValueKind.Object, "model.vocab is not an object");
        var ranks = new Dictionary<string, int>(StringComparer.Ordinal);
        var text = new StringBuilder(1 << 20);
        foreach (var entry in vocab.EnumerateObject())
        {
            Require(path, entry.Value.TryGetInt32(out var id) && id >= 0, $"the vocabulary entry '{entry.Name}' has no non-negative integer id");
            Require(path, ByteLevelAlphabet.TryGetBytes(entry.Name, out var bytes), $"the vocabulary entry '{entry.Name}' is not written in the byte-level alphabet");
            ranks[entry.Name] = id;
            text.Append(Convert.ToBase64String(bytes)).Append(' ').Append(id.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        CheckMergeOrder(path, model, ranks);
        var specials = AddedTokens(path, root, configPath);
        PreTokenizerOrFail(path, pattern, out var preTokenizer);
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(text.ToString()));
        var tokenizer = TiktokenTokenizer.Create(stream, preTokenizer, normalizer: null, specials);
        var size = Math.Max(ranks.Count == 0 ? 0 : ranks.Values.Max() + 1, specials.Count == 0 ? 0 : specials.Values.Max() + 1);
        return (new ByteLevelEncoder(tokenizer, preTokenizer), specials, size);
    }

    private static void PreTokenizerOrFail(string path, string pattern, out ByteLevelPreTokenizer preTokenizer)
    {
        try
        {
            preTokenizer = new ByteLevelPreTokenizer(pattern);
        }
        catch (Exception exception) when (exception is NotSupportedException or ArgumentException)
        {
            throw new InvalidDataException($"The tokenizer file '{path}' has a split pattern this loader cannot match exactly: {exception.Message}.", exception);
        }
    }

    private static string SplitPattern(string path, JsonElement pre)
    {
        var byteLevel = FindByteLevel(pre) ?? throw Invalid(path, "its pre-tokenizer has no ByteLevel step");
        Require(path, !byteLevel.TryGetProperty("add_prefix_space", out var prefix) || prefix.ValueKind != JsonValueKind.True, "its ByteLevel pre-tokenizer adds a prefix space, which this loader does not apply");
        var usesRegex = byteLevel.TryGetProperty("use_regex", out var useRegex) && useRegex.ValueKind == JsonValueKind.True;
        if (pre.GetProperty("type").GetString() == "ByteLevel")
        {
            Require(path, usesRegex, "its ByteLevel pre-tokenizer splits nothing (use_regex: false)");
            return Gpt2Pattern;
        }

        // Sequence: [Split(pattern, Isolated), ByteLevel(use_regex: false)].
        var steps = pre.GetProperty("pretokenizers");
        Require(path, steps.GetArrayLength() == 2 && !usesRegex, "its pre-tokenizer sequence is not [Split, ByteLevel(use_regex: false)]");
        var split = steps[0];
        Require(path, split.TryGetProperty("type", out var type) && type.GetString() == "Split", "its pre-tokenizer sequence does not start with a Split");
        Require(path, split.TryGetProperty("behavior", out var behavior) && behavior.GetString() == "Isolated", "its Split pre-tokenizer's behavior is not Isolated");
        Require(path, !split.TryGetProperty("invert", out var invert) || invert.ValueKind != JsonValueKind.True, "its Split pre-tokenizer is inverted");
        if (split.TryGetProperty("pattern", out var pattern) && pattern.ValueKind == JsonValueKind.Object
            && pattern.TryGetProperty("Regex", out var regex) && regex.ValueKind == JsonValueKind.String)
        {
            return regex.GetString()!;
        }

        throw Invalid(path, "its Split pre-tokenizer has no Regex pattern");
    }

    private static JsonElement? FindByteLevel(JsonElement pre)
    {
        if (pre.ValueKind != JsonValueKind.Object || !pre.TryGetProperty("type", out var type))
        {
            return null;
        }

        switch (type.GetString())
        {
            case "ByteLevel":
                return pre;
            case "Sequence" when pre.TryGetProperty("pretokenizers", out var steps) && steps.ValueKind == JsonValueKind.Array:
                foreach (var step in steps.EnumerateArray())
                {
                    if (step.TryGetProperty("type", out var stepType) && stepType.GetString() == "ByteLevel")
                    {
                        return step;
                    }
                }

                return null;
            default:
                return null;
        }
    }

    // Tiktoken merges by rank: it agrees with the merges list when the first merge that makes each
    // token comes in the order of the tokens' ids.
    private static void CheckMergeOrder(string path, JsonElement model, Dictionary<string, int> ranks)
    {
        Require(path, model.TryGetProperty("merges", out var merges) && merges.ValueKind == JsonValueKind.Array, "model.merges is not an array");
        var seen = new HashSet<int>();
        var highest = -1;
        var line = 0;
        foreach (var merge in merges.EnumerateArray())
        {
            line++;
            string left, right;
            if (merge.ValueKind == JsonValueKind.String)
            {
                var pair = merge.GetString()!;
                var space = pair.IndexOf(' ', StringComparison.Ordinal);
                Require(path, space > 0 && space < pair.Length - 1, $"merge {line} ('{pair}') is not two tokens");
                (left, right) = (pair[..space], pair[(space + 1)..]);
            }
            else
            {
                Require(path, merge.ValueKind == JsonValueKind.Array && merge.GetArrayLength() == 2, $"merge {line} is not two tokens");
                (left, right) = (merge[0].GetString() ?? string.Empty, merge[1].GetString() ?? string.Empty);
            }

            Require(path, ranks.TryGetValue(left + right, out var rank), $"merge {line} ('{left} {right}') makes a token that is not in the vocabulary");
            if (seen.Add(rank))
            {
                Require(path, rank > highest, $"merge {line} ('{left} {right}') comes after the merges of higher-ranked tokens, so rank-ordered BPE would merge differently");
                highest = rank;
            }
        }
    }

    private static Dictionary<string, int> AddedTokens(string path, JsonElement root, string? configPath)
    {
        var tokens = new Dictionary<string, int>(StringComparer.Ordinal);
        if (root.TryGetProperty("added_tokens", out var added) && added.ValueKind == JsonValueKind.Array)
        {
            foreach (var token in added.EnumerateArray())
            {
                AddToken(path, tokens, token, token.TryGetProperty("id", out var id) && id.TryGetInt32(out var value) ? value : -1);
            }
        }

        if (configPath is not null)
        {
            JsonDocument config;
            try
            {
                config = JsonDocument.Parse(File.ReadAllBytes(configPath));
            }
            catch (JsonException exception)
            {
                throw new InvalidDataException($"The tokenizer file '{configPath}' is not valid JSON: {exception.Message}", exception);
            }

            using (config)
            {
                if (config.RootElement.ValueKind == JsonValueKind.Object
                    && config.RootElement.TryGetProperty("added_tokens_decoder", out var decoder) && decoder.ValueKind == JsonValueKind.Object)
                {
                    foreach (var entry in decoder.EnumerateObject())
                    {
                        AddToken(configPath, tokens, entry.Value, int.TryParse(entry.Name, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : -1);
                    }
                }
            }
        }

        return tokens;
    }

    private static void AddToken(string path, Dictionary<string, int> tokens, JsonElement token, int id)
    {
        Require(path, token.ValueKind == JsonValueKind.Object && token.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String && id >= 0, "an added token has no content or id");
        var text = token.GetProperty("content").GetString()!;
        foreach (var flag in new[] { "lstrip", "rstrip", "single_word" })
        {
            Require(path, !token.TryGetProperty(flag, out var value) || value.ValueKind != JsonValueKind.True, $"the added token '{text}' sets {flag}, which this loader does not apply");
        }

        if (tokens.TryGetValue(text, out var known))
        {
            Require(path, known == id, $"the added token '{text}' has id {id} here and {known} elsewhere");
            return;
        }

        tokens[text] = id;
    }

    private static void Require(string path, bool condition, string problem)
    {
        if (!condition)
        {
            throw Invalid(path, problem);
        }
    }

    private static InvalidDataException Invalid(string path, string problem) =>
        new($"The tokenizer file '{path}' is not a byte-level BPE tokenizer this loader reads exactly: {problem}.");
}
