namespace AgentRefine.Cli.Tests;

/// <summary>
/// <c>convert</c> and <c>stats</c> never destroy or half-write the user's data: an output that is an input
/// is refused before anything is opened, a failed or interrupted conversion leaves the dataset as it was,
/// and inputs users really have (an empty file, long lines) are handled with a clear message.
/// </summary>
public sealed class ConvertSafetyTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("agentrefine-convert-safety-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static string Samples => Path.Combine(AppContext.BaseDirectory, "samples", "records.jsonl");

    private string Write(string name, string text)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, text);
        return path;
    }

    private string Copy(string name) => Write(name, File.ReadAllText(Samples));

    private string[] Contents() => [.. Directory.GetFiles(_folder).Select(Path.GetFileName).Order(StringComparer.Ordinal)!];

    [Fact]
    public void Converting_a_file_onto_itself_is_refused_and_the_file_is_kept()
    {
        var records = Copy("same.jsonl");
        var before = File.ReadAllText(records);

        var (exit, stdout, stderr) = Cli.Run("convert", "--input", records, "--output", records, "--format", "ms-swift");

        exit.Should().Be(2);
        stdout.Should().BeEmpty();
        stderr.Should().Be($"agentrefine convert: --output is the same file as --input ('{records}'); refusing to overwrite an input. Choose another --output.\n".ReplaceLineEndings());
        File.ReadAllText(records).Should().Be(before);
    }

    [Fact]
    public void A_side_file_that_is_an_input_is_refused()
    {
        var records = Copy("dataset_info.json");

        var (exit, _, stderr) = Cli.Run("convert", "--input", records, "--output", Path.Combine(_folder, "train.jsonl"), "--format", "llamafactory");

        exit.Should().Be(2);
        stderr.Should().Contain($"dataset_info.json is the same file as --input ('{records}')");
        Contents().Should().Equal("dataset_info.json");
    }

    [Theory]
    [InlineData("torn")]
    [InlineData("strict")]
    public void A_failed_conversion_leaves_the_previous_dataset_and_says_so(string failure)
    {
        var output = Write("train.jsonl", "previous dataset\n");
        var records = failure == "torn"
            ? Write("records.jsonl", File.ReadAllText(Samples) + "{\"id\": \"cut-off")
            : Copy("records.jsonl");
        string[] extra = failure == "strict" ? ["--strict"] : [];

        var (exit, _, stderr) = Cli.Run(["convert", "--input", records, "--output", output, "--format", "openai", .. extra]);

        exit.Should().Be(failure == "torn" ? 2 : 1);
        stderr.Should().EndWith($"agentrefine convert: nothing written; '{output}' left as it was.\n".ReplaceLineEndings());
        File.ReadAllText(output).Should().Be("previous dataset\n");
        Contents().Should().Equal("records.jsonl", "train.jsonl");
    }

    [Fact]
    public async Task Ctrl_C_is_one_line_exit_130_and_the_dataset_is_left_as_it_was()
    {
        var output = Write("train.jsonl", "previous dataset\n");
        using var interrupted = new CancellationTokenSource();
        await interrupted.CancelAsync();

        var (exit, stdout, stderr) = await CliRun.RunAsync(CliEnvironment.Plain, interrupted.Token, "convert", "--input", Samples, "--output", output, "--format", "axolotl");

        exit.Should().Be(130);
        stdout.Should().BeEmpty();
        stderr.Should().Be($"agentrefine convert: interrupted; nothing written; '{output}' left as it was.\n");
        File.ReadAllText(output).Should().Be("previous dataset\n");
        Contents().Should().Equal("train.jsonl");
    }

    [Fact]
    public void Preview_with_output_or_format_is_refused()
    {
        var (exit, _, stderr) = Cli.Run("convert", "--input", Samples, "--preview", "1", "--output", Path.Combine(_folder, "x.jsonl"), "--format", "openai");

        exit.Should().Be(2);
        stderr.Should().StartWith("agentrefine: --preview prints conversations and writes nothing: give it without --output and --format, or drop --preview to write a dataset.");
        Contents().Should().BeEmpty();
    }

    [Fact]
    public void An_empty_input_converts_to_an_empty_dataset_with_a_warning()
    {
        var records = Write("empty.jsonl", string.Empty);
        var output = Path.Combine(_folder, "train.jsonl");

        var (exit, stdout, stderr) = Cli.Run("convert", "--input", records, "--output", output, "--format", "ms-swift");

        exit.Should().Be(0, stderr);
        stderr.Should().Be("agentrefine convert: warning: empty.jsonl holds no records; the dataset is empty.\n".ReplaceLineEndings());
        stdout.Should().Contain("records in:         0");
        File.ReadAllText(output).Should().BeEmpty();
    }

    [Fact]
    public void An_over_long_line_names_the_option_that_raises_the_limit()
    {
        var records = Copy("records.jsonl");
        var output = Path.Combine(_folder, "train.jsonl");

        var (exit, _, stderr) = Cli.Run("convert", "--input", records, "--output", output, "--format", "openai", "--max-line-bytes", "100");

        exit.Should().Be(2);
        stderr.Should().StartWith("agentrefine convert: records.jsonl:1: the line is ").And.Contain("bytes long, over the read limit of 100 bytes (raise it with --max-line-bytes, or JsonReadLimits.MaxInputChars in code)");
        Cli.Run("convert", "--input", records, "--output", output, "--format", "openai", "--max-line-bytes", "1000000").Exit.Should().Be(0);
    }

    [Fact]
    public void Threads_change_nothing_in_what_convert_and_stats_write()
    {
        // Many records, an unreadable line and a torn last line, so that several batches are in flight.
        var lines = File.ReadAllLines(Samples);
        var text = string.Concat(Enumerable.Range(0, 40).Select(i => string.Join('\n', lines) + (i == 20 ? "\nnot a record" : string.Empty) + "\n")) + lines[0][..100];
        var records = Write("many.jsonl", text);
        var one = Path.Combine(Directory.CreateDirectory(Path.Combine(_folder, "one")).FullName, "train.jsonl");
        var three = Path.Combine(Directory.CreateDirectory(Path.Combine(_folder, "three")).FullName, "train.jsonl");

        var sequential = Cli.Run("convert", "--input", records, "--output", one, "--format", "llamafactory", "--skip-invalid", "--threads", "1");
        var parallel = Cli.Run("convert", "--input", records, "--output", three, "--format", "llamafactory", "--skip-invalid", "--threads", "3");

        sequential.Exit.Should().Be(0, sequential.Err);
        parallel.Out.Replace(Path.GetDirectoryName(three)!, Path.GetDirectoryName(one)!, StringComparison.Ordinal).Should().Be(sequential.Out);
        parallel.Out.Should().Contain("records in:         162").And.Contain("conversations:      80");
        foreach (var name in new[] { "train.jsonl", "dataset_info.json", "train.llamafactory.yaml" })
        {
            File.ReadAllText(Path.Combine(_folder, "three", name)).Replace(Path.GetDirectoryName(three)!, Path.GetDirectoryName(one)!, StringComparison.Ordinal).Should().Be(File.ReadAllText(Path.Combine(_folder, "one", name)), name);
        }

        Cli.Run("stats", records, "--threads", "3").Should().Be(Cli.Run("stats", records, "--threads", "1"));
        Cli.Run("convert", "--input", records, "--output", three, "--format", "openai", "--threads", "0").Exit.Should().Be(2);
    }

    [Fact]
    public void Stats_takes_input_like_the_other_commands_and_keeps_the_positional_form()
    {
        var byOption = Cli.Run("stats", "--input", Samples);
        var positional = Cli.Run("stats", Samples);

        byOption.Exit.Should().Be(0, byOption.Err);
        byOption.Out.Should().Be(positional.Out);
        byOption.Out.Should().StartWith("records.jsonl:\n  records:              4 (3 accepted, 1 rejected), 0 unreadable lines\n");
        Cli.Run("stats", Samples, "--input", Samples).Exit.Should().Be(2);
    }

    [Fact]
    public void Stats_says_why_lines_are_unreadable()
    {
        var records = Write("records.jsonl", File.ReadAllText(Samples) + "not json\n{\"id\": 3}\n");

        var (exit, stdout, _) = Cli.Run("stats", "--input", records);

        exit.Should().Be(0);
        stdout.Should().Contain("  records:              4 (3 accepted, 1 rejected), 2 unreadable lines\n    records.jsonl:5: ");
        stdout.Should().Contain("    records.jsonl:6: ");
    }

    [Fact]
    public void Stats_of_a_directory_or_a_missing_file_says_so()
    {
        Cli.Run("stats", "--input", _folder).Err.Should().Be($"agentrefine stats: --input: '{_folder}' is a directory, not a file.\n".ReplaceLineEndings());
        var missing = Path.Combine(_folder, "nope.jsonl");
        Cli.Run("stats", "--input", missing).Err.Should().Be($"agentrefine stats: --input: '{missing}' does not exist.\n".ReplaceLineEndings());
    }

    [Fact]
    public void An_empty_prompt_template_is_refused_not_trained_on()
    {
        var template = Write("template.txt", "  \n");
        var output = Path.Combine(_folder, "train.jsonl");

        var (exit, _, stderr) = Cli.Run("convert", "--input", Samples, "--output", output, "--format", "openai", "--prompt-template", template);

        exit.Should().Be(2);
        stderr.Should().Be($"agentrefine convert: the prompt template file '{template}' is empty: every conversation would start with an empty user message. Give a template with {{{{goal}}}} and {{{{actions}}}}, or drop --prompt-template for the default.\n".ReplaceLineEndings());
        File.Exists(output).Should().BeFalse();
    }

    [Fact]
    public void Verify_names_a_directory_as_a_directory()
    {
        var (exit, _, stderr) = Cli.Run("verify", "--script", _folder);

        exit.Should().Be(2);
        stderr.Should().Be($"agentrefine verify: cannot read the script file '{_folder}': it is a directory, not a file.\n".ReplaceLineEndings());
    }
}
