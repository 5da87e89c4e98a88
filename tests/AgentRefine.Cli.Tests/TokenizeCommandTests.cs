namespace AgentRefine.Cli.Tests;

public sealed class TokenizeCommandTests : IDisposable
{
    private const string HiHello = """{"id": "a", "messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello"}]}""";
    private readonly string _folder = Directory.CreateTempSubdirectory("agentrefine-tokenize-cli-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static string Root { get; } = FindRoot();

    // Restored by this project's build (tests/Tokenizers.targets).
    private static string Llama3 => Path.Combine(Root, "tests", ".tokenizers", "llama3");

    // ../shared beside the repository.
    private static string Mistral => Path.GetFullPath(Path.Combine(Root, "..", "shared", "data", "tokenizers", "mistral-v0.3"));

    [Fact]
    public void Tokenizes_with_mistral_and_prints_the_summary()
    {
        var input = Write("conversations.jsonl",
            HiHello,
            """{"id": "b", "messages": [{"role": "user", "content": "Hi"}, {"role": "user", "content": "Hello"}]}""",
            """{"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello there, how are you today?"}]}""");
        var output = Path.Combine(_folder, "tokens.jsonl");

        var (exit, stdout, stderr) = Cli.Run("tokenize", "--input", input, "--output", output, "--template", "mistral-v0.3", "--tokenizer", Mistral, "--max-length", "8");

        exit.Should().Be(0, stderr);
        File.ReadAllText(output).Should().Be("""{"id":"a","input_ids":[1,3,16127,4,23325,2],"labels":[-100,-100,-100,-100,23325,2],"attention_mask":[1,1,1,1,1,1]}""" + "\n");
        stdout.Should().Be($"""
            Tokenized conversations.jsonl to {output} (mistral-v0.3, {Path.Combine(Mistral, "tokenizer.model")}).
              rows in:            3
              rows out:           1 (115 bytes)
              over max length:    1 (--max-length 8; longest row 13 tokens)
              refused:            1
                conversations.jsonl:2  Conversation b cannot be tokenized with the mistral-v0.3 template: messages[1] is a user message where an assistant message is due (after an optional system message, user and assistant alternate, starting with the user).
              tokens:             6
              trained tokens:     2 (33.3%)

            """);
    }

    [Fact]
    public void Tokenizes_with_llama3()
    {
        var input = Write("conversations.jsonl", HiHello);
        var output = Path.Combine(_folder, "tokens.jsonl");

        var (exit, _, stderr) = Cli.Run("tokenize", "--input", input, "--output", output, "--template", "llama3", "--tokenizer", Llama3);

        exit.Should().Be(0, stderr);
        File.ReadAllText(output).Should().Be(
            """{"id":"a","input_ids":[128000,128006,882,128007,271,13347,128009,128006,78191,128007,271,9906,128009],"labels":[-100,-100,-100,-100,-100,-100,-100,-100,-100,-100,-100,9906,128009],"attention_mask":[1,1,1,1,1,1,1,1,1,1,1,1,1]}""" + "\n");
    }

    [Fact]
    public void An_unreadable_line_exits_2_naming_it_and_writes_nothing()
    {
        var input = Write("conversations.jsonl", HiHello, "[1, 2]");

        var (exit, _, stderr) = Cli.Run("tokenize", "--input", input, "--output", Path.Combine(_folder, "tokens.jsonl"), "--template", "mistral-v0.3", "--tokenizer", Mistral);

        exit.Should().Be(2);
        stderr.Should().Be("agentrefine tokenize: conversations.jsonl:2: it is not an object with a \"messages\" array.\n".ReplaceLineEndings());
        Directory.GetFiles(_folder).Select(Path.GetFileName).Should().Equal("conversations.jsonl");
    }

    [Fact]
    public void The_output_may_not_be_the_input()
    {
        var input = Write("conversations.jsonl", HiHello);

        var (exit, _, stderr) = Cli.Run("tokenize", "--input", input, "--output", input, "--template", "mistral-v0.3", "--tokenizer", Mistral);

        exit.Should().Be(2);
        stderr.Should().Be($"agentrefine tokenize: --output '{input}' is the input file; choose another path.\n".ReplaceLineEndings());
        File.ReadAllText(input).Should().Be(HiHello + "\n");
    }

    [Fact]
    public void A_missing_input_or_tokenizer_folder_exits_2_naming_it()
    {
        var missing = Path.Combine(_folder, "missing.jsonl");
        var (exit, _, stderr) = Cli.Run("tokenize", "--input", missing, "--output", Path.Combine(_folder, "t.jsonl"), "--template", "llama3", "--tokenizer", Llama3);
        exit.Should().Be(2);
        stderr.Should().Be($"agentrefine tokenize: cannot read the input file '{missing}': it does not exist.\n".ReplaceLineEndings());

        var input = Write("conversations.jsonl", HiHello);
        (exit, _, stderr) = Cli.Run("tokenize", "--input", input, "--output", Path.Combine(_folder, "t.jsonl"), "--template", "llama3", "--tokenizer", _folder);
        exit.Should().Be(2);
        stderr.Should().Be($"agentrefine tokenize: The tokenizer folder '{_folder}' has neither tokenizer.json (byte-level BPE, e.g. Llama-3) nor tokenizer.model (SentencePiece, e.g. Mistral).\n".ReplaceLineEndings());
    }

    [Fact]
    public void A_template_that_does_not_fit_the_tokenizer_exits_2()
    {
        var input = Write("conversations.jsonl", HiHello);
        var (exit, _, stderr) = Cli.Run("tokenize", "--input", input, "--output", Path.Combine(_folder, "t.jsonl"), "--template", "llama3", "--tokenizer", Mistral);
        exit.Should().Be(2);
        stderr.Should().Be($"agentrefine tokenize: The chat template 'llama3' needs the special token '<|begin_of_text|>', which the tokenizer '{Path.Combine(Mistral, "tokenizer.model")}' does not have.\n".ReplaceLineEndings());
    }

    [Theory]
    [InlineData("chatml", "1", "chatml")]
    [InlineData("llama3", "0", "--max-length must be 1 or more.")]
    public void Bad_options_exit_2(string template, string maxLength, string message)
    {
        var input = Write("conversations.jsonl", HiHello);
        var (exit, _, stderr) = Cli.Run("tokenize", "--input", input, "--output", Path.Combine(_folder, "t.jsonl"), "--template", template, "--tokenizer", Llama3, "--max-length", maxLength);
        exit.Should().Be(2);
        stderr.Should().Contain(message);
        Directory.GetFiles(_folder).Select(Path.GetFileName).Should().Equal("conversations.jsonl");
    }

    private string Write(string name, params string[] lines)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, string.Join('\n', lines) + "\n");
        return path;
    }

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "AgentRefine.Core.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (AgentRefine.Core.sln) is not above the test folder.");
    }
}
