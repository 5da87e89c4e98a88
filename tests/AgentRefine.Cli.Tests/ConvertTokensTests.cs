namespace AgentRefine.Cli.Tests;

/// <summary><c>convert --format tokens</c>: records to token rows in one step, exactly what <c>convert --format openai</c> followed by <c>tokenize</c> gives.</summary>
public sealed class ConvertTokensTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("agentrefine-convert-tokens-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static string Records => Path.Combine(AppContext.BaseDirectory, "samples", "records.jsonl");

    private static string Root
    {
        get
        {
            var folder = new DirectoryInfo(AppContext.BaseDirectory);
            while (!File.Exists(Path.Combine(folder.FullName, "AgentRefine.Core.sln")))
            {
                folder = folder.Parent!;
            }

            return folder.FullName;
        }
    }

    private static string Mistral => Path.GetFullPath(Path.Combine(Root, "..", "shared", "data", "tokenizers", "mistral-v0.3"));

    private static string Llama3 => Path.Combine(Root, "tests", ".tokenizers", "llama3");

    [Theory]
    [InlineData("mistral-v0.3")]
    [InlineData("llama3")]
    public void Token_rows_from_records_equal_the_openai_dataset_tokenized(string template)
    {
        var tokenizer = template == "llama3" ? Llama3 : Mistral;
        Directory.Exists(tokenizer).Should().BeTrue($"the {template} tokenizer is restored for the tests ({tokenizer})");
        var direct = Path.Combine(_folder, "direct.jsonl");
        var openai = Path.Combine(_folder, "train.openai.jsonl");
        var viaTokenize = Path.Combine(_folder, "via-tokenize.jsonl");

        var (exit, stdout, stderr) = Cli.Run("convert", "--input", Records, "--output", direct, "--format", "tokens", "--template", template, "--tokenizer", tokenizer);
        Cli.Run("convert", "--input", Records, "--output", openai, "--format", "openai").Exit.Should().Be(0);
        Cli.Run("tokenize", "--input", openai, "--output", viaTokenize, "--template", template, "--tokenizer", tokenizer).Exit.Should().Be(0);

        exit.Should().Be(0, stderr);
        stdout.Should().Contain("conversations:      2 (2 rows,").And.Contain($"  tokens:             ").And.Contain($"({template}, ");
        // The OpenAI layout carries no id, so the rows tokenized from it have none; the ids, labels and masks are the same.
        var rows = File.ReadAllLines(direct);
        rows.Should().HaveCount(2).And.OnlyContain(r => r.StartsWith("{\"id\":\"", StringComparison.Ordinal));
        rows.Select(r => "{" + r[(r.IndexOf(",\"input_ids\"", StringComparison.Ordinal) + 1)..]).Should().Equal(File.ReadAllLines(viaTokenize));
    }

    [Fact]
    public void Rows_over_max_length_are_skipped_and_counted()
    {
        var output = Path.Combine(_folder, "tokens.jsonl");

        var (exit, stdout, _) = Cli.Run("convert", "--input", Records, "--output", output, "--format", "tokens", "--template", "mistral-v0.3", "--tokenizer", Mistral, "--max-length", "10");

        exit.Should().Be(0);
        stdout.Should().Contain("  over max length:    2 conversations skipped (--max-length 10), never cut");
        File.ReadAllText(output).Should().BeEmpty();
    }

    [Theory]
    [InlineData("--format tokens --template llama3", "--format tokens needs --template llama3|mistral-v0.3 and --tokenizer DIR")]
    [InlineData("--format tokens --template chatml --tokenizer .", "--format tokens needs --template llama3|mistral-v0.3 and --tokenizer DIR")]
    [InlineData("--format openai --tokenizer .", "--tokenizer and --max-length apply to --format tokens.")]
    public void Bad_token_options_are_refused(string options, string message)
    {
        var (exit, _, stderr) = Cli.Run(["convert", "--input", Records, "--output", Path.Combine(_folder, "t.jsonl"), .. options.Split(' ')]);

        exit.Should().Be(2);
        stderr.Should().Contain(message);
    }

    [Fact]
    public void A_tokenizer_folder_that_does_not_exist_is_named_and_nothing_is_written()
    {
        var missing = Path.Combine(_folder, "no-model");
        var output = Path.Combine(_folder, "t.jsonl");

        var (exit, _, stderr) = Cli.Run("convert", "--input", Records, "--output", output, "--format", "tokens", "--template", "llama3", "--tokenizer", missing);

        exit.Should().Be(2);
        stderr.Should().Be($"agentrefine convert: The tokenizer folder '{missing}' does not exist.\n".ReplaceLineEndings());
        File.Exists(output).Should().BeFalse();
    }

    [Fact]
    public async Task Token_rows_split_by_trajectory_and_as_parquet_hold_the_same_rows()
    {
        var jsonl = Path.Combine(_folder, "tokens.jsonl");
        var parquet = Path.Combine(_folder, "tokens.parquet");
        Cli.Run("convert", "--input", Records, "--output", jsonl, "--format", "tokens", "--template", "mistral-v0.3", "--tokenizer", Mistral).Exit.Should().Be(0);

        var (exit, _, stderr) = Cli.Run("convert", "--input", Records, "--output", parquet, "--format", "tokens", "--template", "mistral-v0.3", "--tokenizer", Mistral);
        exit.Should().Be(0, stderr);

        await using var reader = await Parquet.ParquetReader.CreateAsync(parquet);
        var fields = reader.Schema.GetDataFields();
        fields.Select(f => f.Path.ToString()).Should().Equal("id", "input_ids/list/element", "labels/list/element", "attention_mask/list/element");
        var expected = File.ReadAllLines(jsonl).Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement).ToList();
        reader.RowGroups.Sum(g => g.RowCount).Should().Be(expected.Count);
        using var group = reader.OpenRowGroupReader(0);
        (await ReadIntsAsync(group, fields[1])).Should().Equal(expected.SelectMany(e => e.GetProperty("input_ids").EnumerateArray().Select(v => v.GetInt32())));
        (await ReadIntsAsync(group, fields[2])).Should().Equal(expected.SelectMany(e => e.GetProperty("labels").EnumerateArray().Select(v => v.GetInt32())));

        var train = Path.Combine(_folder, "split.jsonl");
        var split = Cli.Run("convert", "--input", Records, "--output", train, "--format", "tokens", "--template", "mistral-v0.3", "--tokenizer", Mistral, "--eval-fraction", "0.5", "--seed", "3");
        split.Exit.Should().Be(0, split.Err);
        var trainIds = File.ReadAllLines(train).Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement.GetProperty("id").GetString()).ToList();
        var evalIds = File.ReadAllLines(Path.Combine(_folder, "split.eval.jsonl")).Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement.GetProperty("id").GetString()).ToList();
        trainIds.Concat(evalIds).Order(StringComparer.Ordinal).Should().Equal(expected.Select(e => e.GetProperty("id").GetString()).Order(StringComparer.Ordinal));
        trainIds.Intersect(evalIds).Should().BeEmpty("a trajectory is on one side of the split only");
    }

    private static async Task<int[]> ReadIntsAsync(Parquet.ParquetRowGroupReader group, Parquet.Schema.DataField field)
    {
        var count = (int)group.GetMetadata(field)!.MetaData!.NumValues;
        var values = new int[count];
        var definitions = new int[count];
        var repetitions = new int[count];
        await group.ReadRawAsync<int>(field, values, definitions, repetitions);
        return values[..definitions.Count(d => d == field.MaxDefinitionLevel)];
    }
}
