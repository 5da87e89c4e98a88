using AgentRefine.Conversion;
using AgentRefine.Tokenization;

namespace AgentRefine.Core.Tests.Tokenization;

public sealed class ChatTemplateTests
{
    public static TheoryData<string, string> Rows()
    {
        var data = new TheoryData<string, string>();
        foreach (var template in ChatTemplates.Names)
        {
            foreach (var id in TokenizerFiles.Conversations.Keys)
            {
                data.Add(template, id);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void Renders_as_the_models_own_chat_template(string template, string id)
    {
        var golden = Golden($"rendered.{template}.jsonl", id);
        Template(template).Render(TokenizerFiles.Conversations[id]).Should().Be(golden.GetProperty("text").GetString());
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void Ids_are_the_reference_ids_of_the_rendered_text(string template, string id)
    {
        var chat = Template(template);
        var conversation = TokenizerFiles.Conversations[id];
        var row = chat.Tokenize(conversation);

        row.InputIds.Should().Equal(Golden($"ids.{template}.jsonl", id).GetProperty("input_ids").EnumerateArray().Select(e => e.GetInt32()));
        // Built stretch by stretch, the row has the ids of the whole rendered text encoded at once.
        row.InputIds.Should().Equal(chat.Tokenizer.Encode(chat.Render(conversation)));
        row.Labels.Should().HaveCount(row.Length);
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void Labelled_tokens_decode_to_the_trained_contents_and_their_end_of_turn_tokens(string template, string id)
    {
        var chat = Template(template);
        var row = chat.Tokenize(TokenizerFiles.Conversations[id]);
        var endOfTurn = template == ChatTemplates.Llama3 ? "<|eot_id|>" : "</s>";
        var trained = Golden($"rendered.{template}.jsonl", id).GetProperty("trained").EnumerateArray().Select(e => e.GetString()!).ToList();

        var runs = new List<List<int>>();
        for (var i = 0; i < row.Length; i++)
        {
            row.Labels[i].Should().BeOneOf(TokenizedConversation.IgnoredLabel, row.InputIds[i]);
            if (row.Labels[i] == TokenizedConversation.IgnoredLabel)
            {
                continue;
            }

            if (i == 0 || row.Labels[i - 1] == TokenizedConversation.IgnoredLabel)
            {
                runs.Add([]);
            }

            runs[^1].Add(row.Labels[i]);
        }

        runs.Select(run => chat.Tokenizer.Decode(run)).Should().Equal(trained.Select(content => content + endOfTurn));
        runs.Select(run => run.Last()).Should().OnlyContain(last => last == chat.Tokenizer.SpecialTokens[endOfTurn]);
        row.TrainedTokens.Should().Be(runs.Sum(run => run.Count));
    }

    [Theory]
    [MemberData(nameof(Templates))]
    public void One_template_tokenizes_on_many_threads_at_once(string template)
    {
        var chat = Template(template);
        var expected = TokenizerFiles.Conversations.Values.ToDictionary(c => c.Id, c => chat.Tokenize(c).InputIds.ToArray());
        var work = Enumerable.Repeat(TokenizerFiles.Conversations.Values, 20).SelectMany(c => c).ToArray();

        var results = new (string Id, int[] Ids)[work.Length];
        Parallel.For(0, work.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => results[i] = (work[i].Id, chat.Tokenize(work[i]).InputIds.ToArray()));

        results.Should().OnlyContain(r => r.Ids.SequenceEqual(expected[r.Id]));
    }

    public static TheoryData<string> Templates => [ChatTemplates.Llama3, ChatTemplates.MistralV03];

    [Fact]
    public void Llama3_row_masks_headers_system_user_and_masked_turns()
    {
        var row = Template(ChatTemplates.Llama3).Tokenize(Conversation(
            ("user", "Hi", true), ("assistant", "No", false), ("user", "Again", true), ("assistant", "Yes", true)));

        // <|begin_of_text|>, then per message <|start_header_id|> role <|end_header_id|> "\n\n" content <|eot_id|>.
        row.InputIds.Should().Equal(
            128000,
            128006, 882, 128007, 271, 13347, 128009,
            128006, 78191, 128007, 271, 2822, 128009,
            128006, 882, 128007, 271, 31485, 128009,
            128006, 78191, 128007, 271, 9642, 128009);
        row.Labels.Should().Equal(
            -100,
            -100, -100, -100, -100, -100, -100,
            -100, -100, -100, -100, -100, -100,
            -100, -100, -100, -100, -100, -100,
            -100, -100, -100, -100, 9642, 128009);
        row.TrainedTokens.Should().Be(2);
    }

    [Fact]
    public void Mistral_row_trains_the_first_content_token_the_templates_space_merged_into()
    {
        var row = Template(ChatTemplates.MistralV03).Tokenize(Conversation(("user", "Hi", true), ("assistant", "Hello", true)));

        // <s> [INST] ▁Hi [/INST] ▁Hello </s>: "▁Hello" holds the template's space and the content.
        row.InputIds.Should().Equal(1, 3, 16127, 4, 23325, 2);
        row.Labels.Should().Equal(-100, -100, -100, -100, 23325, 2);
    }

    [Fact]
    public void Mistral_row_masks_the_templates_space_where_it_is_a_token_of_its_own()
    {
        var row = Template(ChatTemplates.MistralV03).Tokenize(Conversation(("user", "Hi", true), ("assistant", "😀", true)));

        // SentencePiece has no "▁😀": the template's space is the piece "▁" alone, not content.
        row.InputIds.Should().Equal(1, 3, 16127, 4, 29473, 31343, 2);
        row.Labels.Should().Equal(-100, -100, -100, -100, -100, 31343, 2);
    }

    [Fact]
    public void Mistral_prepends_the_system_message_to_the_first_user_message()
    {
        var conversation = TokenizerFiles.Conversations["system"];
        var golden = Golden("rendered.mistral-v0.3.jsonl", "system");

        Template(ChatTemplates.MistralV03).Render(conversation).Should().StartWith("<s>[INST] You are a careful agent.\n\nOpen the door.[/INST]");
        // The model's own template, given the system message, drops it from a row that ends on an assistant turn.
        golden.GetProperty("official_text").GetString().Should().StartWith("<s>[INST] Open the door.[/INST]").And.NotContain("careful agent");
    }

    [Fact]
    public void Llama3_trims_content_with_Pythons_whitespace()
    {
        var text = Template(ChatTemplates.Llama3).Render(Conversation(("user", "\x1c Hi\u3000", true), ("assistant", "\u0085\uFEFFOk\u200b\x1f", true)));

        // U+001C–U+001F, U+0085 and U+3000 are whitespace to Python's str.strip(); U+FEFF and U+200B are not.
        text.Should().Be("<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n\uFEFFOk\u200b<|eot_id|>");
    }

    public static TheoryData<string, (string Role, string Content, bool Train)[], string> Refusals => new()
    {
        { "starts with the assistant", [("assistant", "a", true), ("user", "b", false)], "messages[0] is an assistant message where a user message is due (after an optional system message, user and assistant alternate, starting with the user)" },
        { "two users in a row", [("user", "a", false), ("user", "b", false), ("assistant", "c", true)], "messages[1] is a user message where an assistant message is due (after an optional system message, user and assistant alternate, starting with the user)" },
        { "a system message later", [("user", "a", false), ("system", "s", false), ("assistant", "c", true)], "messages[1] is a system message where an assistant message is due (after an optional system message, user and assistant alternate, starting with the user)" },
        { "ends on the user", [("user", "a", false), ("assistant", "b", true), ("user", "c", false)], "it does not end with an assistant message" },
        { "trains nothing", [("user", "a", false), ("assistant", "b", false)], "no assistant message is trained" },
        { "only a system message", [("system", "s", false)], "it has no user or assistant message" },
        { "a trained user message", [("user", "a", true), ("assistant", "b", true)], "messages[0] is a user message marked for training (loss goes on assistant messages only)" },
        { "a special token in content", [("user", "see <|eot_id|> here", false), ("assistant", "b", true)], "messages[0] contains the text '<|eot_id|>', which the tokenizer reads as a special token" },
        { "a lone surrogate", [("user", "a\uDC00", false), ("assistant", "b", true)], "messages[0] has a lone surrogate at character 1 (not valid UTF-16)" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void Refuses_rows_that_break_a_rule(string why, (string Role, string Content, bool Train)[] messages, string rule)
    {
        var conversation = new TrainingConversation("c1", [.. messages.Select(m => new TrainingMessage(Role(m.Role), m.Content, m.Train, []))]);
        var act = () => Template(ChatTemplates.Llama3).Tokenize(conversation);
        act.Should().Throw<DatasetFormatException>(why).WithMessage($"Conversation c1 cannot be tokenized with the llama3 template: {rule}.");
    }

    [Fact]
    public void Mistral_refuses_its_control_tokens_in_content()
    {
        var act = () => Template(ChatTemplates.MistralV03).Tokenize(Conversation(("user", "<s>strike</s>", false), ("assistant", "ok", true)));
        act.Should().Throw<DatasetFormatException>().WithMessage("Conversation c1 cannot be tokenized with the mistral-v0.3 template: messages[0] contains the text '<s>', which the tokenizer reads as a special token.");
    }

    [Fact]
    public void Unknown_template_names_and_missing_special_tokens_are_refused()
    {
        var unknown = () => ChatTemplates.Create("chatml", TokenizerFiles.Llama3);
        unknown.Should().Throw<ArgumentException>().WithMessage("Unknown chat template 'chatml'; known: llama3, mistral-v0.3.*");

        var mismatch = () => ChatTemplates.Create(ChatTemplates.Llama3, TokenizerFiles.Mistral);
        mismatch.Should().Throw<InvalidDataException>().WithMessage($"The chat template 'llama3' needs the special token '<|begin_of_text|>', which the tokenizer '{TokenizerFiles.Mistral.SourceFile}' does not have.");
    }

    internal static ChatTemplate Template(string name) => ChatTemplates.Create(name, TokenizerFiles.For(name));

    private static TrainingConversation Conversation(params (string Role, string Content, bool Train)[] messages) =>
        new("c1", [.. messages.Select(m => new TrainingMessage(Role(m.Role), m.Content, m.Role == "assistant" && m.Train, []))]);

    private static TrainingRole Role(string role) => role switch
    {
        "system" => TrainingRole.System,
        "user" => TrainingRole.User,
        _ => TrainingRole.Assistant,
    };

    private static System.Text.Json.JsonElement Golden(string file, string id) =>
        TokenizerFiles.GoldenLines(file).Single(line => line.GetProperty("id").GetString() == id);
}
