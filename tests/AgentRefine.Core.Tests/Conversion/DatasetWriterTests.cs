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

    /// <summary>A golden side file, with the folder it names filled in.</summary>
    private static string GoldenIn(string name, string folder) => Golden(name).Replace("{folder}", folder, StringComparison.Ordinal);

    private async Task<(ConversionStatistics Statistics, string Path)> ConvertAsync(string format, ConversionMode mode = ConversionMode.MaskErroneous, string? input = null, bool skipInvalid = false, DatasetWriterOptions? options = null, string? output = null)
    {
        output ??= Path.Combine(_folder, format + TrainingDatasetWriters.DefaultExtension(format));
        var writer = TrainingDatasetWriters.Create(format, output, options);
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

        File.ReadAllText(output).Should().Be(Golden(format + TrainingDatasetWriters.DefaultExtension(format)));
        statistics.RowsOut.Should().Be(rows);
        statistics.Conversations.Should().Be(2);
        statistics.RecordsIn.Should().Be(4);
        statistics.TrainedTurns.Should().Be(12);
        statistics.MaskedTurns.Should().Be(5);
        statistics.SkippedByReason.Should().Equal(new Dictionary<string, int> { ["rejected-record"] = 1, ["too-few-refinements"] = 1 });
        statistics.Skipped.Select(s => s.Id).Should().Equal("32055561932a5d5878a3eeb88383db6d", "81cccba481402e03f0a2183f9ab0169b");
        statistics.ErroneousTurnsByType.Should().Equal(new Dictionary<string, long> { ["parameter_error"] = 2, ["place_error"] = 2, ["logic_error"] = 1 });
        statistics.BytesOut.Should().Be(new FileInfo(output).Length);
        statistics.EvalConversations.Should().Be(0);
        statistics.EvalRowsOut.Should().Be(0);
    }

    [Fact]
    public async Task AgentGym_writes_the_json_array_its_trainer_loads_and_json_lines_on_request()
    {
        // AgentGym's BCTrainer: json.load(open(train_file)), then item["item_id"] and item["conversations"] (from / value / loss).
        var (_, array) = await ConvertAsync("agentgym");
        var items = JsonNode.Parse(File.ReadAllText(array))!.AsArray();
        items.Select(i => i!["item_id"]!.GetValue<string>()).Should().Equal("ea21b17a1e855e586c8c61d2ecf9a5f7", "24a3f101ecb8aa5616cab2d33a435122");
        items.SelectMany(i => i!["conversations"]!.AsArray()).Select(m => string.Join(",", m!.AsObject().Select(p => p.Key))).Distinct().Should().Equal("from,value,loss");

        var lines = Path.Combine(_folder, "agentgym.jsonl");
        await ConvertAsync("agentgym", options: new DatasetWriterOptions { Container = DatasetContainer.JsonLines }, output: lines);
        File.ReadAllText(lines).Should().Be(Golden("agentgym.jsonl"));
        File.ReadAllLines(lines).Select(l => JsonNode.Parse(l)!.ToJsonString()).Should().Equal(items.Select(i => i!.ToJsonString()));
    }

    [Fact]
    public async Task An_empty_agentgym_dataset_is_an_empty_json_array()
    {
        var empty = Path.Combine(_folder, "empty.jsonl");
        await File.WriteAllTextAsync(empty, string.Empty);
        var (_, output) = await ConvertAsync("agentgym", input: empty);
        File.ReadAllText(output).Should().Be("[]\n");
    }

    [Fact]
    public void AgentGym_refuses_parquet_before_creating_anything()
    {
        var act = () => TrainingDatasetWriters.Create("agentgym", Path.Combine(_folder, "train.parquet"));
        act.Should().Throw<ArgumentException>().WithMessage("AgentGym's BCTrainer reads its train file with json.load (a JSON array): write agentgym as .json (or JSON Lines for tools that stream), not Parquet*");
        Directory.GetFileSystemEntries(_folder).Should().BeEmpty();
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
        File.ReadAllText(AxolotlDatasetWriter.ConfigPath(axolotl)).Should().Be(GoldenIn("axolotl.axolotl.yml", _folder));

        var (_, llamafactory) = await ConvertAsync("llamafactory");
        File.ReadAllText(Path.Combine(_folder, "dataset_info.json")).Should().Be(Golden("dataset_info.json"));
        File.ReadAllText(LlamaFactoryDatasetWriter.TrainingConfigPath(llamafactory)).Should().Be(GoldenIn("llamafactory.llamafactory.yaml", _folder));
    }

    [Fact]
    public async Task The_axolotl_path_is_absolute_so_training_works_from_any_folder()
    {
        // axolotl resolves a relative `path:` against the folder it runs in (utils/data/shared.py: Path(path).exists()), else takes it for a Hub name.
        var nested = Directory.CreateDirectory(Path.Combine(_folder, "data sets", "#1")).FullName;
        var output = Path.Combine(nested, "train.jsonl");
        await ConvertAsync("axolotl", output: output);
        File.ReadAllText(AxolotlDatasetWriter.ConfigPath(output)).Should().Contain($"\n  - path: \"{output}\"\n    ds_type: json\n");
    }

    [Fact]
    public async Task The_llamafactory_yaml_carries_mask_history_the_template_the_model_and_a_cutoff_covering_the_longest_row()
    {
        var output = Path.Combine(_folder, "sft.jsonl");
        var (statistics, _) = await ConvertAsync("llamafactory", output: output, options: new DatasetWriterOptions
        {
            LlamaFactory = { Template = "mistral", ModelNameOrPath = "/models/Mistral-7B-Instruct-v0.3", OutputDir = "/ckpt/sft" },
        });

        var yaml = File.ReadAllText(Path.Combine(_folder, "sft.llamafactory.yaml"));
        yaml.Should().Contain("\nmodel_name_or_path: \"/models/Mistral-7B-Instruct-v0.3\"\n")
            .And.Contain($"\ndataset_dir: \"{_folder}\"\ndataset: \"sft\"\ntemplate: \"mistral\"\n")
            .And.Contain("\nmask_history: true\n")
            .And.Contain("\noutput_dir: \"/ckpt/sft\"\n")
            .And.NotContain("efficient_eos").And.NotContain("\nval_size:");
        yaml.Should().StartWith($"# LLaMA-Factory training arguments for sft.jsonl (written by agentrefine convert).\n# Train with:  llamafactory-cli train {Path.Combine(_folder, "sft.llamafactory.yaml")}\n");

        // The longest row is the librarian trajectory up to its last trained turn: every message's UTF-8 bytes + 16, plus the reserve.
        var longest = File.ReadLines(output).Select(l => JsonNode.Parse(l)!["conversations"]!.AsArray().Sum(m => System.Text.Encoding.UTF8.GetByteCount(m!["value"]!.GetValue<string>()) + LlamaFactoryDatasetWriter.TokensPerMessage)).Max();
        var cutoff = (longest + LlamaFactoryDatasetWriter.DefaultSystemReserve + 1023) / 1024 * 1024;
        yaml.Should().Contain($"\ncutoff_len: {cutoff}\n");
        cutoff.Should().Be(4096);
        statistics.RowsOut.Should().Be(12);
    }

    [Theory]
    [InlineData("glm4", true)]
    [InlineData("gemma2", true)]
    [InlineData("chatglm3", true)]
    [InlineData("yi_vl", true)]
    [InlineData("llama3", false)]
    [InlineData("qwen", false)]
    public async Task The_llamafactory_yaml_warns_about_efficient_eos_templates(string template, bool warned)
    {
        var output = Path.Combine(_folder, template + ".jsonl");
        await ConvertAsync("llamafactory", output: output, options: new DatasetWriterOptions { LlamaFactory = { Template = template } });
        new LlamaFactoryTrainingOptions { Template = template }.HasEfficientEos.Should().Be(warned);
        var yaml = File.ReadAllText(LlamaFactoryDatasetWriter.TrainingConfigPath(output));
        if (warned)
        {
            yaml.Should().Contain($"# Warning: template '{template}' has efficient_eos: LLaMA-Factory labels the EOS after each masked\n");
        }
        else
        {
            yaml.Should().NotContain("efficient_eos");
        }
    }

    [Fact]
    public void LlamaFactory_config_and_command_names()
    {
        LlamaFactoryDatasetWriter.TrainingConfigPath("data/train.jsonl").Should().Be("data/train.llamafactory.yaml");
        LlamaFactoryDatasetWriter.TrainingConfigPath("data/train.llamafactory.jsonl").Should().Be("data/train.llamafactory.yaml");
        LlamaFactoryDatasetWriter.TrainCommand("/d/train.jsonl").Should().Be("llamafactory-cli train /d/train.llamafactory.yaml");
        LlamaFactoryDatasetWriter.TrainCommand("/my data/it's.jsonl").Should().Be("llamafactory-cli train '/my data/it'\\''s.llamafactory.yaml'");
        LlamaFactoryDatasetWriter.DatasetInfoPath("/d/train.jsonl").Should().Be("/d/dataset_info.json");
    }

    [Fact]
    public void A_llamafactory_dataset_name_with_a_comma_is_refused()
    {
        var act = () => new LlamaFactoryDatasetWriter(Path.Combine(_folder, "a,b.jsonl"));
        act.Should().Throw<ArgumentException>().WithMessage("The dataset name 'a,b' (the file name without its extension) holds a comma: LLaMA-Factory splits 'dataset:' at commas. Rename the file.*");
        Directory.GetFileSystemEntries(_folder).Should().BeEmpty();
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
        var act = () => ConvertAsync("llamafactory", options: new DatasetWriterOptions { EvalFraction = 0.5, Seed = 3 });
        await act.Should().ThrowAsync<DatasetFormatException>().WithMessage($"{path} is not valid JSON*it was left unchanged.");
        File.ReadAllText(path).Should().Be("{ broken");

        // Nothing else appeared either: not the dataset, its eval file or the training YAML, nor a temporary file.
        Directory.GetFiles(_folder).Select(Path.GetFileName).Should().Equal("dataset_info.json");
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
            var writer = TrainingDatasetWriters.Create(format, output, new DatasetWriterOptions { Container = DatasetContainer.JsonLines });
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
