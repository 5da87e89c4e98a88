using AgentRefine.Tokenization;

namespace AgentRefine.Core.Tests.Tokenization;

public sealed class ModelTokenizerTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("agentrefine-tokenizer-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Llama3_is_read_from_tokenizer_json_with_its_special_tokens()
    {
        var tokenizer = TokenizerFiles.Llama3;

        tokenizer.Kind.Should().Be(ModelTokenizerKind.ByteLevelBpe);
        tokenizer.SourceFile.Should().Be(Path.Combine(TokenizerFiles.Llama3Directory, "tokenizer.json"));
        tokenizer.VocabularySize.Should().Be(128_256);
        tokenizer.SpecialTokens.Should().HaveCount(256);
        tokenizer.SpecialTokens["<|begin_of_text|>"].Should().Be(128_000);
        tokenizer.SpecialTokens["<|start_header_id|>"].Should().Be(128_006);
        tokenizer.SpecialTokens["<|end_header_id|>"].Should().Be(128_007);
        tokenizer.SpecialTokens["<|eot_id|>"].Should().Be(128_009);
    }

    [Fact]
    public void Mistral_is_read_from_tokenizer_model_with_its_control_pieces()
    {
        var tokenizer = TokenizerFiles.Mistral;

        tokenizer.Kind.Should().Be(ModelTokenizerKind.SentencePieceBpe);
        tokenizer.SourceFile.Should().Be(Path.Combine(TokenizerFiles.MistralDirectory, "tokenizer.model"));
        tokenizer.VocabularySize.Should().Be(32_768);
        // 750 control pieces, 20 user-defined ([REFERENCE_DOC_n]) and <unk>.
        tokenizer.SpecialTokens.Should().HaveCount(771);
        tokenizer.SpecialTokens["<unk>"].Should().Be(0);
        tokenizer.SpecialTokens["<s>"].Should().Be(1);
        tokenizer.SpecialTokens["</s>"].Should().Be(2);
        tokenizer.SpecialTokens["[INST]"].Should().Be(3);
        tokenizer.SpecialTokens["[/INST]"].Should().Be(4);
    }

    [Fact]
    public void Llama3_known_strings_have_the_known_ids()
    {
        var tokenizer = TokenizerFiles.Llama3;

        tokenizer.Encode("Hello world").Should().Equal(9906, 1917);
        tokenizer.Encode(" Hello").Should().Equal(22691);
        tokenizer.Encode("\r\n").Should().Equal(319);
        tokenizer.Encode("a\r\nb").Should().Equal(64, 319, 65);
        tokenizer.Encode("```python\nprint('hi')\n```").Should().Equal(74694, 12958, 198, 1374, 493, 6151, 1329, 74694);
        tokenizer.Encode("中文字符测试").Should().Equal(108891, 49491, 82805);
        tokenizer.Encode("😀 emoji 👍🏽").Should().Equal(76460, 222, 43465, 62904, 235, 9468, 237, 121);
        tokenizer.Encode("<|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>").Should().Equal(128006, 882, 128007, 271, 13347, 128009);
    }

    [Fact]
    public void Llama3_splits_characters_outside_the_basic_plane_as_code_points()
    {
        // .NET's regex sees 🚀 as two Cs code units: unrewritten, [^\r\n\p{L}\p{N}]?\p{L}+ could not take it
        // before "Launch", and \p{L} would miss 𝐀 and 𠀀. Ids from Hugging Face's tokenizers.js.
        var tokenizer = TokenizerFiles.Llama3;

        tokenizer.Encode("🚀Launch").Should().Equal(GoldenIds("strings.llama3.jsonl", "🚀Launch"));
        tokenizer.Encode("a𠀀b").Should().Equal(GoldenIds("strings.llama3.jsonl", "a𠀀b"));
        tokenizer.Encode("x𝟎𝟏𝟐y").Should().Equal(GoldenIds("strings.llama3.jsonl", "x𝟎𝟏𝟐y"));
    }

    [Fact]
    public void Mistral_known_strings_have_the_ids_of_SentencePiece()
    {
        var tokenizer = TokenizerFiles.Mistral;

        tokenizer.Encode("Hello world").Should().Equal(23325, 2294);
        // A leading space is the ▁ of the first piece, not a second one (Hugging Face's Metaspace, prepend_scheme "first").
        tokenizer.Encode(" Hello").Should().Equal(23325);
        tokenizer.Encode("<s>[INST] Hi[/INST] Hello</s>").Should().Equal(1, 3, 16127, 4, 23325, 2);
        // Overlapping merges of equal score: the leftmost first, as SentencePiece and Hugging Face do
        // (LlamaTokenizer 2.0.1 gives ▁x, c, cc, x and ▁~, ~~).
        tokenizer.Encode("xcccx").Should().Equal(2086, 1356, 15183);
        tokenizer.Encode("~~~").Should().Equal(19649, 29613);
        // Byte fallback: 😀 is a piece, a character without one becomes its UTF-8 bytes.
        tokenizer.Encode("😀").Should().Equal(29473, 31343);
        tokenizer.Encode("\n").Should().Equal(29473, 781);
    }

    public static TheoryData<string> Templates => [ChatTemplates.Llama3, ChatTemplates.MistralV03];

    [Theory]
    [MemberData(nameof(Templates))]
    public void Every_golden_string_has_the_reference_ids(string template)
    {
        var tokenizer = TokenizerFiles.For(template);
        var golden = TokenizerFiles.GoldenLines($"strings.{template}.jsonl").ToList();

        golden.Should().HaveCountGreaterThan(25);
        foreach (var line in golden)
        {
            var text = line.GetProperty("text").GetString()!;
            tokenizer.Encode(text).Should().Equal(line.GetProperty("ids").EnumerateArray().Select(e => e.GetInt32()), $"the ids of {text}");
        }
    }

    [Theory]
    [MemberData(nameof(Templates))]
    public void Decode_is_Hugging_Face_decode(string template)
    {
        var tokenizer = TokenizerFiles.For(template);
        foreach (var line in TokenizerFiles.GoldenLines($"strings.{template}.jsonl"))
        {
            var text = line.GetProperty("text").GetString()!;
            // SentencePiece's decoder strips the one space its prefix stands for.
            var expected = tokenizer.Kind == ModelTokenizerKind.SentencePieceBpe && text.StartsWith(' ') ? text[1..] : text;
            tokenizer.Decode(tokenizer.Encode(text)).Should().Be(expected);
        }
    }

    [Fact]
    public void Encode_refuses_a_lone_surrogate()
    {
        var act = () => TokenizerFiles.Llama3.Encode("a\uD800b");
        act.Should().Throw<ArgumentException>().WithMessage("The text has a lone surrogate at index 1.*");
    }

    [Fact]
    public void A_missing_folder_is_named()
    {
        var missing = Path.Combine(_folder, "nope");
        var act = () => ModelTokenizer.Load(missing);
        act.Should().Throw<DirectoryNotFoundException>().WithMessage($"The tokenizer folder '{missing}' does not exist.");
    }

    [Fact]
    public void A_folder_without_tokenizer_files_names_both()
    {
        var act = () => ModelTokenizer.Load(_folder);
        act.Should().Throw<FileNotFoundException>().WithMessage($"The tokenizer folder '{_folder}' has neither tokenizer.json (byte-level BPE, e.g. Llama-3) nor tokenizer.model (SentencePiece, e.g. Mistral).");
    }

    [Fact]
    public void An_invalid_tokenizer_json_is_named()
    {
        var file = Path.Combine(_folder, "tokenizer.json");
        File.WriteAllText(file, "{ not json");
        var act = () => ModelTokenizer.Load(_folder);
        act.Should().Throw<InvalidDataException>().WithMessage($"The tokenizer file '{file}' is not valid JSON: *");
    }

    [Fact]
    public void A_tokenizer_json_that_is_not_byte_level_without_a_model_file_is_named()
    {
        File.WriteAllText(Path.Combine(_folder, "tokenizer.json"), """{"model": {"type": "BPE", "vocab": {}, "merges": []}, "pre_tokenizer": {"type": "Metaspace"}}""");
        var act = () => ModelTokenizer.Load(_folder);
        act.Should().Throw<InvalidDataException>().WithMessage($"The tokenizer folder '{_folder}' has no tokenizer.model, and '{Path.Combine(_folder, "tokenizer.json")}' is not a byte-level BPE tokenizer*");
    }

    [Fact]
    public void A_byte_level_tokenizer_json_with_an_unsupported_feature_is_refused_with_the_reason()
    {
        var file = Path.Combine(_folder, "tokenizer.json");
        File.WriteAllText(file, """{"normalizer": {"type": "NFC"}, "model": {"type": "BPE", "vocab": {"a": 0}, "merges": []}, "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": false, "use_regex": true}}""");
        var act = () => ModelTokenizer.Load(_folder);
        act.Should().Throw<InvalidDataException>().WithMessage($"The tokenizer file '{file}' is not a byte-level BPE tokenizer this loader reads exactly: it has a normalizer, which this loader does not apply.");
    }

    [Fact]
    public void Merges_out_of_rank_order_are_refused()
    {
        var file = Path.Combine(_folder, "tokenizer.json");
        File.WriteAllText(file, """{"model": {"type": "BPE", "vocab": {"a": 0, "b": 1, "c": 2, "bc": 3, "ab": 4}, "merges": ["a b", "b c"]}, "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": false, "use_regex": true}}""");
        var act = () => ModelTokenizer.Load(_folder);
        act.Should().Throw<InvalidDataException>().WithMessage("*merge 2 ('b c') comes after the merges of higher-ranked tokens, so rank-ordered BPE would merge differently.");
    }

    [Fact]
    public void An_invalid_tokenizer_model_is_named()
    {
        var file = Path.Combine(_folder, "tokenizer.model");
        File.WriteAllBytes(file, [0xFF, 0xFF, 0xFF, 0xFF]);
        var act = () => ModelTokenizer.Load(_folder);
        act.Should().Throw<InvalidDataException>().WithMessage($"The tokenizer file '{file}' is not a SentencePiece model*");
    }

    private static IEnumerable<int> GoldenIds(string file, string text) => TokenizerFiles.GoldenLines(file)
        .Single(line => line.GetProperty("text").GetString() == text)
        .GetProperty("ids").EnumerateArray().Select(e => e.GetInt32());
}
