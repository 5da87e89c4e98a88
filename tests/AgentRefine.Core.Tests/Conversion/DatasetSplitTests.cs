using System.Text.Json.Nodes;
using AgentRefine.Conversion;
using AgentRefine.Verification;

namespace AgentRefine.Core.Tests.Conversion;

/// <summary>
/// The train / eval split by trajectory: whole conversations (for LLaMA-Factory every prefix sample of one)
/// go to one side, decided by the record id and the seed only, the same way Python computes it.
/// </summary>
public sealed class DatasetSplitTests : IDisposable
{
    private const string Librarian = "ea21b17a1e855e586c8c61d2ecf9a5f7";
    private const string Unix = "24a3f101ecb8aa5616cab2d33a435122";
    private readonly string _folder = Directory.CreateTempSubdirectory("agentrefine-split-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static string Records => Path.Combine(AppContext.BaseDirectory, "samples", "records.jsonl");

    private static string Golden(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Conversion", "Golden", name));

    [Theory]
    [InlineData(Librarian, 3, 0.9306778458675007)]
    [InlineData(Unix, 3, 0.12377188212966886)]
    [InlineData("x", 0, 0.9789597397684934)]
    [InlineData("héllo wörld", -7, 0.7423553772569611)]
    [InlineData("", int.MaxValue, 0.2583795371566434)]
    public void Positions_match_the_python_formula(string id, int seed, double expected) =>
        // int.from_bytes(hashlib.sha256(f"{seed}\n{id}".encode()).digest()[:8], "big") / 2**64, computed with Python 3.11.
        DatasetSplit.Position(id, seed).Should().Be(expected);

    [Theory]
    [InlineData("train.jsonl", "train.eval.jsonl")]
    [InlineData("out/train.parquet", "out/train.eval.parquet")]
    [InlineData("data/sft", "data/sft.eval")]
    [InlineData("train.json", "train.eval.json")]
    public void The_eval_file_is_named_after_the_dataset(string dataset, string eval) =>
        DatasetSplit.EvalPath(dataset).Should().Be(eval);

    public static TheoryData<string> Formats => [.. TrainingDatasetWriters.Names];

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task Each_format_splits_the_samples_by_trajectory(string format)
    {
        // Seed 3 puts the librarian game (0.93) in train and the UNIX game (0.12) in eval at fraction 0.5.
        var extension = TrainingDatasetWriters.DefaultExtension(format);
        var output = Path.Combine(_folder, "train" + extension);
        var statistics = await ConvertAsync(format, output, new DatasetWriterOptions { EvalFraction = 0.5, Seed = 3 });

        var eval = Path.Combine(_folder, "train.eval" + extension);
        var golden = Rows(Golden(format + extension), extension);
        var (trainRows, evalRows) = format == LlamaFactoryDatasetWriter.Name ? (8, 4) : (1, 1);
        Rows(File.ReadAllText(output), extension).Should().Equal(golden.Take(trainRows));
        Rows(File.ReadAllText(eval), extension).Should().Equal(golden.Skip(trainRows));
        statistics.Conversations.Should().Be(2);
        statistics.EvalConversations.Should().Be(1);
        statistics.RowsOut.Should().Be(trainRows + evalRows);
        statistics.EvalRowsOut.Should().Be(evalRows);
        statistics.BytesOut.Should().Be(new FileInfo(output).Length + new FileInfo(eval).Length);
    }

    [Fact]
    public async Task The_side_files_name_the_eval_file()
    {
        await ConvertAsync("axolotl", Path.Combine(_folder, "axolotl.jsonl"), new DatasetWriterOptions { EvalFraction = 0.5, Seed = 3 });
        File.ReadAllText(Path.Combine(_folder, "axolotl.axolotl.yml")).Should().Be(Golden("split/axolotl.axolotl.yml").Replace("{folder}", _folder, StringComparison.Ordinal));

        await ConvertAsync("llamafactory", Path.Combine(_folder, "llamafactory.jsonl"), new DatasetWriterOptions { EvalFraction = 0.5, Seed = 3 });
        File.ReadAllText(Path.Combine(_folder, "dataset_info.json")).Should().Be(Golden("split/dataset_info.json"));
        File.ReadAllText(Path.Combine(_folder, "llamafactory.llamafactory.yaml")).Should().Be(Golden("split/llamafactory.llamafactory.yaml").Replace("{folder}", _folder, StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_eval_file_elsewhere_is_named_absolutely_in_dataset_info()
    {
        var elsewhere = Directory.CreateDirectory(Path.Combine(_folder, "held-out")).FullName;
        var eval = Path.Combine(elsewhere, "heldout.jsonl");
        await ConvertAsync("llamafactory", Path.Combine(_folder, "train.jsonl"), new DatasetWriterOptions { EvalFraction = 0.5, Seed = 3, EvalPath = eval });

        // LLaMA-Factory opens os.path.join(dataset_dir, file_name), which is file_name itself when it is absolute.
        var info = JsonNode.Parse(File.ReadAllText(Path.Combine(_folder, "dataset_info.json")))!;
        info["train"]!["file_name"]!.GetValue<string>().Should().Be("train.jsonl");
        info["heldout"]!["file_name"]!.GetValue<string>().Should().Be(eval);
        File.ReadAllText(Path.Combine(_folder, "train.llamafactory.yaml")).Should().Contain("\ndataset: \"train\"\neval_dataset: \"heldout\"\n");
        File.ReadAllLines(eval).Should().HaveCount(4);
    }

    [Fact]
    public void Bad_split_settings_are_refused_before_anything_is_created()
    {
        var output = Path.Combine(_folder, "train.jsonl");
        new Func<object>(() => TrainingDatasetWriters.Create("ms-swift", output, new DatasetWriterOptions { EvalFraction = 1 }))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("The eval fraction must be at least 0 and less than 1.*");
        new Func<object>(() => TrainingDatasetWriters.Create("ms-swift", output, new DatasetWriterOptions { EvalFraction = double.NaN }))
            .Should().Throw<ArgumentOutOfRangeException>();
        new Func<object>(() => TrainingDatasetWriters.Create("ms-swift", output, new DatasetWriterOptions { EvalPath = "x.jsonl" }))
            .Should().Throw<ArgumentException>().WithMessage("An eval path is given but the eval fraction is 0*");
        new Func<object>(() => TrainingDatasetWriters.Create("ms-swift", output, new DatasetWriterOptions { EvalFraction = 0.1, EvalPath = output }))
            .Should().Throw<ArgumentException>().WithMessage($"The eval file '{output}' is the dataset file: give it its own path.*");
        new Func<object>(() => TrainingDatasetWriters.Create("llamafactory", output, new DatasetWriterOptions { EvalFraction = 0.1, EvalPath = Path.Combine(_folder, "other", "train.json") }))
            .Should().Throw<ArgumentException>().WithMessage("*has the train file's name 'train'*");
        Directory.GetFileSystemEntries(_folder).Should().BeEmpty();
    }

    [Theory]
    [InlineData(0.1)]
    [InlineData(0.25)]
    [InlineData(0.5)]
    public async Task The_eval_share_is_the_fraction_no_id_is_on_both_sides_and_reruns_are_identical(double fraction)
    {
        const int count = 4_000;
        var conversations = Enumerable.Range(0, count).Select(i => Conversation($"record-{i}", trainedTurns: 2)).ToList();
        var first = await WriteAsync("ms-swift", "a.jsonl", conversations, fraction, seed: 11);
        var again = await WriteAsync("ms-swift", "b.jsonl", conversations, fraction, seed: 11);
        var reseeded = await WriteAsync("ms-swift", "c.jsonl", conversations, fraction, seed: 12);

        var train = Ids(first.Train);
        var eval = Ids(first.Eval);
        train.Intersect(eval).Should().BeEmpty();
        train.Count.Should().Be(count - eval.Count);
        eval.Should().OnlyContain(id => DatasetSplit.IsEval(id, fraction, 11));

        // Binomial(4,000, fraction): within five standard deviations.
        var tolerance = 5 * Math.Sqrt(count * fraction * (1 - fraction));
        eval.Count.Should().BeInRange((int)(count * fraction - tolerance), (int)(count * fraction + tolerance));

        File.ReadAllBytes(again.Train).Should().Equal(File.ReadAllBytes(first.Train));
        File.ReadAllBytes(again.Eval).Should().Equal(File.ReadAllBytes(first.Eval));
        Ids(reseeded.Eval).Should().NotEqual(eval);
    }

    [Fact]
    public async Task A_record_keeps_its_side_when_the_file_grows()
    {
        var small = Enumerable.Range(0, 500).Select(i => Conversation($"r{i}", trainedTurns: 1)).ToList();
        var large = Enumerable.Range(0, 2_000).Select(i => Conversation($"r{i}", trainedTurns: 1)).ToList();
        var before = await WriteAsync("openai", "small.jsonl", small, 0.2, seed: 5);
        var after = await WriteAsync("openai", "large.jsonl", large, 0.2, seed: 5);
        Ids(after.Eval).Intersect(small.Select(c => c.Id)).Should().BeEquivalentTo(Ids(before.Eval));
    }

    [Fact]
    public async Task No_llamafactory_prefix_of_an_eval_trajectory_is_in_train()
    {
        // Every trajectory becomes one sample per trained turn, each a prefix of the trajectory: all of them go to one side.
        var conversations = Enumerable.Range(0, 600).Select(i => Conversation($"trajectory-{i}", trainedTurns: 1 + (i % 4))).ToList();
        var files = await WriteAsync("llamafactory", "sft.jsonl", conversations, 0.3, seed: 2);

        var train = Samples(files.Train);
        var eval = Samples(files.Eval);
        eval.Should().NotBeEmpty();
        train.Where(t => eval.Any(e => IsPrefix(t, e) || IsPrefix(e, t))).Should().BeEmpty();

        // The rows of each trajectory (its task is the first user message) are all on one side, none lost.
        var trainTasks = train.Select(s => s[0]!["value"]!.GetValue<string>()).ToHashSet();
        var evalTasks = eval.Select(s => s[0]!["value"]!.GetValue<string>()).ToHashSet();
        trainTasks.Overlaps(evalTasks).Should().BeFalse();
        (train.Count + eval.Count).Should().Be(conversations.Sum(c => c.TrainedTurns));
    }

    /// <summary>A conversation whose every message names its trajectory, with a masked mistake before each trained turn but the first.</summary>
    internal static TrainingConversation Conversation(string id, int trainedTurns)
    {
        var messages = new List<TrainingMessage> { new(TrainingRole.User, $"Task of {id}.", false, []) };
        for (var turn = 0; turn < trainedTurns; turn++)
        {
            if (turn > 0)
            {
                messages.Add(new(TrainingRole.Assistant, $"Thought: a mistake in {id}.\nAction: wrong {turn}", false, ["logic_error"]));
                messages.Add(new(TrainingRole.User, $"That did not work ({id}, {turn}).", false, []));
            }

            messages.Add(new(TrainingRole.Assistant, $"Thought: step {turn} of {id}.\nAction: act {turn}", true, []));
            messages.Add(new(TrainingRole.User, $"Observation {turn} of {id}.", false, []));
        }

        messages.RemoveAt(messages.Count - 1);
        return new TrainingConversation(id, messages);
    }

    private static List<JsonArray> Samples(string path) => [.. File.ReadLines(path).Select(l => JsonNode.Parse(l)!["conversations"]!.AsArray())];

    private static bool IsPrefix(JsonArray a, JsonArray b) => a.Count <= b.Count && a.Select((m, i) => JsonNode.DeepEquals(m, b[i])).All(x => x);

    private static List<string> Rows(string text, string extension) =>
        extension == ".json"
            ? [.. JsonNode.Parse(text)!.AsArray().Select(n => n!.ToJsonString())]
            : [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries)];

    private static HashSet<string> Ids(string path) =>
        [.. File.ReadLines(path).Select(l => JsonNode.Parse(l)!["messages"]![0]!["content"]!.GetValue<string>()["Task of ".Length..^1])];

    private static async Task<ConversionStatistics> ConvertAsync(string format, string output, DatasetWriterOptions options)
    {
        var writer = TrainingDatasetWriters.Create(format, output, options);
        await using (writer)
        {
            return await DatasetConversion.RunAsync(Records, new RefinementTuningConverter(new RuleBasedVerifier()), writer);
        }
    }

    private async Task<(string Train, string Eval)> WriteAsync(string format, string name, IEnumerable<TrainingConversation> conversations, double fraction, int seed)
    {
        var output = Path.Combine(_folder, name);
        var writer = TrainingDatasetWriters.Create(format, output, new DatasetWriterOptions { EvalFraction = fraction, Seed = seed });
        await using (writer)
        {
            foreach (var conversation in conversations)
            {
                await writer.WriteAsync(conversation);
            }

            await writer.CompleteAsync();
        }

        return (output, DatasetSplit.EvalPath(output));
    }
}
