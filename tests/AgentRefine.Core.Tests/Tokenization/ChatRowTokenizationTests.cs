using System.Text;
using AgentRefine.Tokenization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AgentRefine.Core.Tests.Tokenization;

public sealed class ChatRowTokenizationTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("agentrefine-tokenize-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Reader_reads_the_OpenAI_shape()
    {
        var row = Parse("""{"id": 7, "messages": [{"role": "system", "content": "S"}, {"role": "user", "content": "U"}, {"role": "assistant", "content": "A", "weight": 0}, {"role": "user", "content": "V"}, {"role": "assistant", "content": "B"}]}""");

        row.Source.Should().Be("in.jsonl:3");
        row.Id.Should().Be("7");
        row.Refusal.Should().BeNull();
        row.Conversation!.Id.Should().Be("7");
        row.Conversation.Messages.Select(m => (m.Role.ToString(), m.Content, m.Train)).Should().Equal(
            ("System", "S", false), ("User", "U", false), ("Assistant", "A", false), ("User", "V", false), ("Assistant", "B", true));
    }

    [Theory]
    [InlineData("""{"messages": [{"role": "tool", "content": "x"}]}""", "messages[0] has the role 'tool' (system, user and assistant are tokenized)")]
    [InlineData("""{"messages": [{"role": "user", "content": "x", "weight": 1}]}""", "messages[0] is a user message with a weight (only assistant messages carry one)")]
    [InlineData("""{"messages": [{"role": "user", "content": "x"}, {"role": "assistant", "content": "y", "weight": 0.5}]}""", "messages[1] has the weight 0.5 (0 or 1)")]
    [InlineData("""{"messages": [{"role": "user", "content": "x\ud800"}]}""", "messages[0] has a lone surrogate escape (\\uD800-\\uDFFF without its pair), which is not valid UTF-16 text")]
    public void Reader_refuses_rows_it_cannot_make_a_conversation_of(string line, string refusal)
    {
        var row = Parse(line);
        row.Conversation.Should().BeNull();
        row.Refusal.Should().Be(refusal);
    }

    [Theory]
    [InlineData("not json", "in.jsonl:3: it is not JSON (*")]
    [InlineData("""{"conversations": []}""", "in.jsonl:3: it is not an object with a \"messages\" array.")]
    [InlineData("""{"messages": [{"role": "user", "content": null}]}""", "in.jsonl:3: messages[0] is not an object with a string \"role\" and a string \"content\".")]
    [InlineData("""{"id": [1], "messages": []}""", "in.jsonl:3: its \"id\" is neither a string nor a number.")]
    public void Reader_names_the_line_it_cannot_read(string line, string message)
    {
        var act = () => Parse(line);
        act.Should().Throw<InvalidDataException>().WithMessage(message);
    }

    [Fact]
    public void Reader_ignores_a_byte_order_mark()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("""{"messages": []}""")).ToArray();
        ChatRowReader.Parse(bytes, "in.jsonl:1").Conversation!.Messages.Should().BeEmpty();
    }

    [Fact]
    public async Task Writes_rows_in_input_order_and_counts_what_it_leaves_out()
    {
        var input = Write("in.jsonl",
            """{"id": "a", "messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello"}]}""",
            """{"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "😀"}]}""",
            "",
            """{"id": "b", "messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello", "weight": 0}]}""",
            """{"id": "c", "messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello there, how are you today?"}]}""",
            """{"id": "d", "messages": [{"role": "tool", "content": "x"}]}""");
        var output = Path.Combine(_folder, "out.jsonl");

        var statistics = await ChatRowTokenization.RunAsync(input, output, Mistral(), maxLength: 7);

        File.ReadAllText(output).Should().Be("""
            {"id":"a","input_ids":[1,3,16127,4,23325,2],"labels":[-100,-100,-100,-100,23325,2],"attention_mask":[1,1,1,1,1,1]}
            {"input_ids":[1,3,16127,4,29473,31343,2],"labels":[-100,-100,-100,-100,-100,31343,2],"attention_mask":[1,1,1,1,1,1,1]}

            """.ReplaceLineEndings("\n"));
        statistics.RowsIn.Should().Be(5);
        statistics.RowsOut.Should().Be(2);
        statistics.OverMaxLength.Should().Be(1);
        statistics.LongestRow.Should().Be(13);
        statistics.Tokens.Should().Be(13);
        statistics.TrainedTokens.Should().Be(4);
        statistics.BytesOut.Should().Be(new FileInfo(output).Length);
        statistics.Refused.Should().Equal(
            new RefusedRow("in.jsonl:4", "b", "Conversation b cannot be tokenized with the mistral-v0.3 template: no assistant message is trained."),
            new RefusedRow("in.jsonl:6", "d", "messages[0] has the role 'tool' (system, user and assistant are tokenized)"));
        Directory.GetFiles(_folder).Select(Path.GetFileName).Should().BeEquivalentTo("in.jsonl", "out.jsonl");
    }

    [Fact]
    public async Task An_unreadable_line_stops_the_run_and_leaves_no_file()
    {
        var input = Write("in.jsonl", """{"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello"}]}""", "{oops");
        var output = Path.Combine(_folder, "out.jsonl");

        var act = () => ChatRowTokenization.RunAsync(input, output, Mistral());

        (await act.Should().ThrowAsync<InvalidDataException>()).WithMessage("in.jsonl:2: it is not JSON (*");
        Directory.GetFiles(_folder).Select(Path.GetFileName).Should().Equal("in.jsonl");
    }

    [Fact]
    public async Task The_output_may_not_be_the_input()
    {
        var input = Write("in.jsonl", "{}");
        var act = () => ChatRowTokenization.RunAsync(input, Path.Combine(_folder, ".", "in.jsonl"), Mistral());
        (await act.Should().ThrowAsync<ArgumentException>()).WithMessage($"The output file '{input}' is the input file.*");
    }

    [Fact]
    public async Task A_cancelled_run_leaves_no_file()
    {
        var input = Write("in.jsonl", """{"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello"}]}""");
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        var act = () => ChatRowTokenization.RunAsync(input, Path.Combine(_folder, "out.jsonl"), Mistral(), cancellationToken: cancelled.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
        Directory.GetFiles(_folder).Select(Path.GetFileName).Should().Equal("in.jsonl");
    }

    [Fact]
    public void AddAgentRefine_registers_the_tokenizer_and_the_template()
    {
        using var services = new ServiceCollection()
            .AddAgentRefine(o => o.Tokenization = new TokenizationOptions { TokenizerDirectory = TokenizerFiles.MistralDirectory, Template = ChatTemplates.MistralV03, MaxLength = 4096 })
            .BuildServiceProvider();

        var template = services.GetRequiredService<ChatTemplate>();
        template.Name.Should().Be("mistral-v0.3");
        template.Tokenizer.Should().BeSameAs(services.GetRequiredService<ModelTokenizer>());
        services.GetRequiredService<TokenizationOptions>().MaxLength.Should().Be(4096);
    }

    [Fact]
    public void The_registered_tokenizer_needs_a_folder_and_valid_settings()
    {
        using var unset = new ServiceCollection().AddAgentRefine().BuildServiceProvider();
        var noFolder = () => unset.GetRequiredService<ModelTokenizer>();
        noFolder.Should().Throw<InvalidOperationException>().WithMessage("AgentRefineOptions.Tokenization.TokenizerDirectory is not set*");

        using var invalid = new ServiceCollection().AddAgentRefine(o => o.Tokenization.MaxLength = 0).BuildServiceProvider();
        var zero = () => invalid.GetRequiredService<IOptions<AgentRefineOptions>>().Value;
        zero.Should().Throw<OptionsValidationException>().WithMessage("*MaxLength*");
    }

    private static ChatTemplate Mistral() => ChatTemplateTests.Template(ChatTemplates.MistralV03);

    private static ChatRow Parse(string line) => ChatRowReader.Parse(Encoding.UTF8.GetBytes(line), "in.jsonl:3");

    private string Write(string name, params string[] lines)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, string.Join('\n', lines) + "\n");
        return path;
    }
}
