using System.Text.Json.Nodes;
using AgentRefine.Conversion;
using AgentRefine.Verification;

namespace AgentRefine.Core.Tests.Conversion;

public sealed class DatasetWriterTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("agentrefine-convert-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static string Records => Path.Combine(AppContext.BaseDirectory, "samples", "records.jsonl");

    private static string Golden(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Conversion", "Golden", name));

    private async Task<(ConversionStatistics Statistics, string Path)> ConvertAsync(string format, ConversionMode mode = ConversionMode.MaskErroneous, string? input = null, bool skipInvalid = false)
    {
        var output = Path.Combine(_folder, format + ".jsonl");
        var writer = TrainingDatasetWriters.Create(format, output);
        await using (writer)
        {
            var statistics = await DatasetConversion.RunAsync(input ?? Records, new RefinementTuningConverter(new RuleBasedVerifier(), new ConversionOptions { Mode = mode }), writer, skipInvalid);
            return (statistics, output);
        }
    }

    [Theory]
    [InlineData("agentgym", 2)]
    [InlineData("ms-swift", 2)]
    [InlineData("openai", 2)]
    [InlineData("axolotl", 2)]
    [InlineData("llamafactory", 12)]
    [InlineData("llamafactory-v1", 2)]
    public async Task Each_format_matches_its_golden_file(string format, int rows)
    {
        var (statistics, output) = await ConvertAsync(format);

        File.ReadAllText(output).Should().Be(Golden(format + ".jsonl"));
        statistics.RowsOut.Should().Be(rows);
        statistics.Conversations.Should().Be(2);
        statistics.RecordsIn.Should().Be(4);
        statistics.TrainedTurns.Should().Be(12);
        statistics.MaskedTurns.Should().Be(5);
        statistics.SkippedByReason.Should().Equal(new Dictionary<string, int> { ["rejected-record"] = 1, ["too-few-refinements"] = 1 });
        statistics.Skipped.Select(s => s.Id).Should().Equal("32055561932a5d5878a3eeb88383db6d", "81cccba481402e03f0a2183f9ab0169b");
        statistics.ErroneousTurnsByType.Should().Equal(new Dictionary<string, long> { ["parameter_error"] = 2, ["place_error"] = 2, ["logic_error"] = 1 });
        statistics.BytesOut.Should().Be(new FileInfo(output).Length);
    }

    [Theory]
    [InlineData(ConversionMode.TrainAll, "ms-swift.train-all.jsonl")]
    [InlineData(ConversionMode.StripErroneous, "ms-swift.strip-errors.jsonl")]
    public async Task The_ablation_modes_match_their_golden_files(ConversionMode mode, string golden)
    {
        var (_, output) = await ConvertAsync("ms-swift", mode);
        File.ReadAllText(output).Should().Be(Golden(golden));
    }

    [Theory]
    [InlineData("train.jsonl", "train.axolotl.yml")]
    [InlineData("train.axolotl.jsonl", "train.axolotl.yml")]
    [InlineData("data/sft", "data/sft.axolotl.yml")]
    public void The_axolotl_config_is_named_after_the_dataset_without_repeating_the_format(string dataset, string config) =>
        AxolotlDatasetWriter.ConfigPath(dataset).Should().Be(config);

    [Fact]
    public async Task Side_files_are_written_for_axolotl_and_llamafactory()
    {
        var (_, axolotl) = await ConvertAsync("axolotl");
        File.ReadAllText(AxolotlDatasetWriter.ConfigPath(axolotl)).Should().Be(Golden("axolotl.axolotl.yml"));

        await ConvertAsync("llamafactory");
        File.ReadAllText(Path.Combine(_folder, "dataset_info.json")).Should().Be(Golden("dataset_info.json"));
    }

    [Fact]
    public async Task Dataset_info_keeps_other_entries()
    {
        await File.WriteAllTextAsync(Path.Combine(_folder, "dataset_info.json"), "{\"alpaca_en\": {\"file_name\": \"alpaca.json\"}}");
        await ConvertAsync("llamafactory");
        var info = JsonNode.Parse(File.ReadAllText(Path.Combine(_folder, "dataset_info.json")))!.AsObject();
        info.Select(p => p.Key).Should().Equal("alpaca_en", "llamafactory");
    }

    [Fact]
    public async Task A_corrupt_dataset_info_is_left_unchanged()
    {
        var path = Path.Combine(_folder, "dataset_info.json");
        await File.WriteAllTextAsync(path, "{ broken");
        var act = () => ConvertAsync("llamafactory");
        await act.Should().ThrowAsync<DatasetFormatException>().WithMessage($"{path} is not valid JSON*it was left unchanged.");
        File.ReadAllText(path).Should().Be("{ broken");
    }

    public static TheoryData<TrainingConversation, string> BrokenConversations => new()
    {
        { new("c1", [new(TrainingRole.User, "u", false, [])]), "it does not end with an assistant message" },
        { new("c2", [new(TrainingRole.Assistant, "a", true, [])]), "message 0 is Assistant, expected User (user and assistant must alternate, starting with the user)" },
        { new("c3", [new(TrainingRole.User, "u", true, []), new(TrainingRole.Assistant, "a", true, [])]), "message 0 is a User message marked for training (loss goes on assistant messages only)" },
        { new("c4", [new(TrainingRole.User, "u", false, []), new(TrainingRole.Assistant, "a", false, ["logic_error"])]), "no assistant message is trained" },
        { new("c5", [new(TrainingRole.System, "s", false, [])]), "it has no user or assistant message" },
    };

    [Theory]
    [MemberData(nameof(BrokenConversations))]
    public async Task Writers_refuse_what_a_trainer_would_reject_and_write_nothing_of_it(TrainingConversation conversation, string rule)
    {
        foreach (var format in TrainingDatasetWriters.Names)
        {
            var output = Path.Combine(_folder, format + ".broken.jsonl");
            var writer = TrainingDatasetWriters.Create(format, output);
            await using (writer)
            {
                var act = () => writer.WriteAsync(conversation).AsTask();
                await act.Should().ThrowAsync<DatasetFormatException>().WithMessage($"Conversation {conversation.Id} cannot be written as {format}: {rule}.");
                await writer.CompleteAsync();
            }

            File.ReadAllText(output).Should().BeEmpty();
        }
    }

    [Fact]
    public async Task A_malformed_line_stops_the_conversion_naming_file_and_line()
    {
        var input = Path.Combine(_folder, "records.jsonl");
        await File.WriteAllLinesAsync(input, [File.ReadLines(Records).First(), "{\"id\": \"x\", \"status\": ", File.ReadLines(Records).Skip(1).First()]);

        var act = () => ConvertAsync("openai", input: input);
        await act.Should().ThrowAsync<InvalidDataException>().WithMessage("records.jsonl:2: invalid JSON (*");

        var (statistics, _) = await ConvertAsync("openai", input: input, skipInvalid: true);
        statistics.Conversations.Should().Be(2);
        statistics.SkippedByReason.Should().Equal(new Dictionary<string, int> { ["unreadable-line"] = 1 });
        statistics.Skipped.Single().Id.Should().Be("records.jsonl:2");
    }

    [Fact]
    public async Task A_torn_last_line_is_reported()
    {
        var input = Path.Combine(_folder, "records.jsonl");
        await File.WriteAllTextAsync(input, File.ReadLines(Records).First() + "\n{\"id\": \"half");
        var act = () => ConvertAsync("openai", input: input);
        await act.Should().ThrowAsync<InvalidDataException>().WithMessage("records.jsonl:2: the last line is torn (no line break at the end of the file)");
    }

    [Fact]
    public async Task Zero_and_one_line_inputs()
    {
        var empty = Path.Combine(_folder, "empty.jsonl");
        await File.WriteAllTextAsync(empty, string.Empty);
        var (none, output) = await ConvertAsync("llamafactory", input: empty);
        none.RecordsIn.Should().Be(0);
        none.RowsOut.Should().Be(0);
        File.ReadAllText(output).Should().BeEmpty();
        File.Exists(Path.Combine(_folder, "dataset_info.json")).Should().BeTrue();

        var one = Path.Combine(_folder, "one.jsonl");
        await File.WriteAllTextAsync(one, File.ReadLines(Records).First() + "\n\n  \n");
        var (single, singleOutput) = await ConvertAsync("openai", input: one);
        single.RecordsIn.Should().Be(1);
        single.Conversations.Should().Be(1);
        File.ReadAllLines(singleOutput).Should().ContainSingle();
    }

    [Fact]
    public async Task Strict_mode_stops_at_the_first_skipped_record()
    {
        var output = Path.Combine(_folder, "strict.jsonl");
        var writer = TrainingDatasetWriters.Create("openai", output);
        await using (writer)
        {
            var converter = new RefinementTuningConverter(new RuleBasedVerifier(), new ConversionOptions { StopOnFirstSkip = true });
            var act = () => DatasetConversion.RunAsync(Records, converter, writer);
            (await act.Should().ThrowAsync<ConversionStoppedException>()).Which.Outcome!.SkipReason.Should().Be("rejected-record");
        }
    }

    [Fact]
    public void Unknown_formats_are_named()
    {
        var act = () => TrainingDatasetWriters.Create("alpaca", Path.Combine(_folder, "x.jsonl"));
        act.Should().Throw<ArgumentException>().WithMessage("Unknown dataset format 'alpaca'; known formats: agentgym, ms-swift, openai, axolotl, llamafactory, llamafactory-v1.*");
    }
}
