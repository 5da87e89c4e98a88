using System.Text.Json;
using System.Text.Json.Nodes;
using AgentRefine.Conversion;
using AgentRefine.Verification;
using Parquet;
using Parquet.Schema;
using Parquet.Serialization;

namespace AgentRefine.Core.Tests.Conversion;

/// <summary>
/// Parquet output, read back with Parquet.Net (pyarrow is not on the build machines): the schema is the
/// list&lt;struct&gt; layout Hugging Face datasets use, and every row holds exactly the values of the format's
/// JSON Lines golden file (a key the JSON row omits is a null).
/// </summary>
public sealed class ParquetDatasetTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("agentrefine-parquet-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static string Records => Path.Combine(AppContext.BaseDirectory, "samples", "records.jsonl");

    private static string Golden(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Conversion", "Golden", name));

    public static TheoryData<string, string> Schemas => new()
    {
        { "ms-swift", "messages/list/element/role:string?:R1:D4 messages/list/element/content:string?:R1:D4 messages/list/element/loss:bool?:R1:D4" },
        { "openai", "messages/list/element/role:string?:R1:D4 messages/list/element/content:string?:R1:D4 messages/list/element/weight:long?:R1:D4" },
        { "axolotl", "messages/list/element/role:string?:R1:D4 messages/list/element/content:string?:R1:D4 messages/list/element/train:bool:R1:D3" },
        { "llamafactory", "conversations/list/element/from:string?:R1:D4 conversations/list/element/value:string?:R1:D4 system:string?:R0:D1" },
        { "llamafactory-v1", "messages/list/element/role:string?:R1:D4 messages/list/element/content/list/element/type:string?:R2:D7 messages/list/element/content/list/element/value:string?:R2:D7 messages/list/element/loss_weight:double:R1:D3" },
    };

    [Theory]
    [MemberData(nameof(Schemas))]
    public async Task Each_format_reads_back_as_its_json_lines_rows(string format, string schema)
    {
        var output = Path.Combine(_folder, format + ".parquet");
        var statistics = await ConvertAsync(format, output);

        var (fileSchema, rows, metadata) = await ReadAsync(output);
        Describe(fileSchema).Should().Be(schema);
        metadata.Should().Contain("agentrefine.format", format);
        rows.Should().Equal(JsonLines(Golden(format + ".jsonl")));
        statistics.RowsOut.Should().Be(rows.Count);
        statistics.BytesOut.Should().Be(new FileInfo(output).Length);
    }

    [Fact]
    public async Task The_lists_are_three_level_parquet_lists_of_structs()
    {
        // The standard LIST layout (optional group messages (LIST) { repeated group list { optional group element { … } } }) that pyarrow maps to list<struct>.
        var output = Path.Combine(_folder, "train.parquet");
        await ConvertAsync("ms-swift", output);
        await using var reader = await ParquetReader.CreateAsync(output);
        var messages = reader.Schema.Fields.Should().ContainSingle().Which.Should().BeOfType<ListField>().Subject;
        messages.Name.Should().Be("messages");
        messages.IsNullable.Should().BeTrue();
        var element = messages.Item.Should().BeOfType<StructField>().Subject;
        element.Name.Should().Be("element");
        element.Fields.Select(f => f.Name).Should().Equal("role", "content", "loss");
        reader.Metadata!.Schema.Select(e => $"{e.Name}:{e.RepetitionType}:{e.ConvertedType}").Should().Equal(
            "root::", "messages:OPTIONAL:LIST", "list:REPEATED:", "element:OPTIONAL:", "role:OPTIONAL:UTF8", "content:OPTIONAL:UTF8", "loss:OPTIONAL:");
    }

    [Fact]
    public async Task Raw_columns_hold_exact_values_and_levels()
    {
        var output = Path.Combine(_folder, "train.parquet");
        await ConvertAsync("ms-swift", output);
        await using var reader = await ParquetReader.CreateAsync(output);
        reader.RowGroupCount.Should().Be(1);
        using var group = reader.OpenRowGroupReader(0);
        group.RowCount.Should().Be(2);
        var fields = reader.Schema.GetDataFields();

        var (roles, roleDefinitions, roleRepetitions) = await ReadRawAsync<ReadOnlyMemory<char>>(group, fields[0]);
        var (losses, lossDefinitions, _) = await ReadRawAsync<bool>(group, fields[2]);
        var golden = JsonLines(Golden("ms-swift.jsonl")).Select(l => JsonNode.Parse(l)!["messages"]!.AsArray()).ToList();
        var messages = golden.SelectMany(m => m).ToList();

        roles.Select(r => r.ToString()).Should().Equal(messages.Select(m => m!["role"]!.GetValue<string>()));
        roleDefinitions.Should().OnlyContain(d => d == 4);
        // Repetition 0 starts a row, 1 continues its messages; loss is defined (4) on assistant messages only, null (3) elsewhere.
        roleRepetitions.Should().Equal(golden.SelectMany(m => m.Select((_, i) => i == 0 ? 0 : 1)));
        lossDefinitions.Should().Equal(messages.Select(m => m!["loss"] is null ? 3 : 4));
        losses.Should().Equal(messages.Where(m => m!["loss"] is not null).Select(m => m!["loss"]!.GetValue<bool>()));
        losses.Should().StartWith([false, true]);
    }

    [Fact]
    public async Task Large_datasets_are_written_in_several_row_groups_and_read_back_whole()
    {
        var output = Path.Combine(_folder, "big.parquet");
        const int count = ParquetDatasetSinkRows + 2_345;
        var writer = TrainingDatasetWriters.Create("axolotl", output);
        await using (writer)
        {
            for (var i = 0; i < count; i++)
            {
                await writer.WriteAsync(DatasetSplitTests.Conversation($"c{i}", trainedTurns: 1 + (i % 3)));
            }

            await writer.CompleteAsync();
        }

        await using var reader = await ParquetReader.CreateAsync(output);
        reader.RowGroupCount.Should().Be(2);
        reader.RowGroups.Select(g => g.RowCount).Should().Equal(ParquetDatasetSinkRows, 2_345);
        var (_, rows, _) = await ReadAsync(output);
        rows.Should().HaveCount(count);
        JsonNode.Parse(rows[^1])!["messages"]![0]!["content"]!.GetValue<string>().Should().Be($"Task of c{count - 1}.");
    }

    [Fact]
    public async Task The_split_writes_two_parquet_files()
    {
        var output = Path.Combine(_folder, "train.parquet");
        await ConvertAsync("llamafactory", output, new DatasetWriterOptions { EvalFraction = 0.5, Seed = 3 });
        var golden = JsonLines(Golden("llamafactory.jsonl"));
        (await ReadAsync(output)).Rows.Should().Equal(golden.Take(8));
        (await ReadAsync(Path.Combine(_folder, "train.eval.parquet"))).Rows.Should().Equal(golden.Skip(8));
        var info = JsonNode.Parse(File.ReadAllText(Path.Combine(_folder, "dataset_info.json")))!;
        info["train"]!["file_name"]!.GetValue<string>().Should().Be("train.parquet");
        info["train.eval"]!["file_name"]!.GetValue<string>().Should().Be("train.eval.parquet");
    }

    [Fact]
    public async Task An_empty_dataset_is_a_valid_parquet_file_with_the_schema()
    {
        var empty = Path.Combine(_folder, "empty.jsonl");
        await File.WriteAllTextAsync(empty, string.Empty);
        var output = Path.Combine(_folder, "empty.parquet");
        await ConvertAsync("openai", output, input: empty);
        var (schema, rows, _) = await ReadAsync(output);
        rows.Should().BeEmpty();
        Describe(schema).Should().StartWith("messages/list/element/role");
    }

    [Fact]
    public async Task A_cancelled_or_abandoned_parquet_write_leaves_nothing()
    {
        var output = Path.Combine(_folder, "train.parquet");
        await File.WriteAllTextAsync(output, "previous");
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        var writer = TrainingDatasetWriters.Create("ms-swift", output, new DatasetWriterOptions { EvalFraction = 0.5 });
        await using (writer)
        {
            await writer.WriteAsync(DatasetSplitTests.Conversation("a", 2));
            var act = () => writer.CompleteAsync(cancelled.Token).AsTask();
            await act.Should().ThrowAsync<OperationCanceledException>();
        }

        File.ReadAllText(output).Should().Be("previous");
        Directory.GetFiles(_folder).Select(Path.GetFileName).Should().Equal("train.parquet");
    }

    [Fact]
    public void A_format_without_a_parquet_layout_is_refused()
    {
        var act = () => new CustomFormat(Path.Combine(_folder, "x.parquet"));
        act.Should().Throw<ArgumentException>().WithMessage("CustomFormat declares no Parquet layout; write JSON Lines or a JSON array.*");
        Directory.GetFileSystemEntries(_folder).Should().BeEmpty();
    }

    private const int ParquetDatasetSinkRows = 10_000;

    /// <summary>A column's non-null values and its definition and repetition levels, as stored.</summary>
    private static async Task<(T[] Values, int[] Definitions, int[] Repetitions)> ReadRawAsync<T>(ParquetRowGroupReader group, DataField field)
        where T : struct
    {
        var count = (int)group.GetMetadata(field)!.MetaData!.NumValues;
        var values = new T[count];
        var definitions = new int[count];
        var repetitions = new int[count];
        await group.ReadRawAsync<T>(field, values, definitions, field.MaxRepetitionLevel > 0 ? repetitions : null);
        var defined = definitions.Count(d => d == field.MaxDefinitionLevel);
        return (values[..defined], definitions, field.MaxRepetitionLevel > 0 ? repetitions : []);
    }

    private static async Task<ConversionStatistics> ConvertAsync(string format, string output, DatasetWriterOptions? options = null, string? input = null)
    {
        var writer = TrainingDatasetWriters.Create(format, output, options);
        await using (writer)
        {
            return await DatasetConversion.RunAsync(input ?? Records, new RefinementTuningConverter(new RuleBasedVerifier()), writer);
        }
    }

    /// <summary>The file's schema, its rows as compact JSON with null values left out (Parquet.Net's own row assembly), and its metadata.</summary>
    private static async Task<(ParquetSchema Schema, List<string> Rows, IReadOnlyDictionary<string, string> Metadata)> ReadAsync(string path)
    {
        await using var stream = File.OpenRead(path);
        var result = await ParquetSerializer.DeserializeUntypedAsync(stream);
        return (result.Schema, [.. result.Data.Select(row => ToJson(row)!.ToJsonString())], result.CustomMetadata ?? new Dictionary<string, string>());
    }

    private static JsonNode? ToJson(object? value) => value switch
    {
        null => null,
        IDictionary<string, object> row => new JsonObject(row.Where(p => p.Value is not null).Select(p => KeyValuePair.Create(p.Key, ToJson(p.Value)))),
        string text => JsonValue.Create(text),
        System.Collections.IEnumerable list => new JsonArray([.. list.Cast<object?>().Select(ToJson)]),
        _ => JsonSerializer.SerializeToNode(value),
    };

    /// <summary>The golden rows, compacted the same way (the writers' JSON numbers, such as loss_weight 1, parse as the same values).</summary>
    private static List<string> JsonLines(string text) =>
        [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!.ToJsonString())];

    private static string Describe(ParquetSchema schema) => string.Join(" ", schema.GetDataFields().Select(f =>
        $"{f.Path}:{Type(f)}{(f.IsNullable ? "?" : string.Empty)}:R{f.MaxRepetitionLevel}:D{f.MaxDefinitionLevel}"));

    private static string Type(DataField field) =>
        field.ClrType == typeof(ReadOnlyMemory<char>) || field.ClrType == typeof(string) ? "string"
        : field.ClrType == typeof(bool) ? "bool"
        : field.ClrType == typeof(long) ? "long"
        : field.ClrType == typeof(double) ? "double"
        : field.ClrType.Name;

    private sealed class CustomFormat(string path) : JsonlDatasetWriter(path, null)
    {
        public override string FormatName => "custom";

        protected override void WriteRows(TrainingConversation conversation) => WriteRow(w => w.WriteStringValue(conversation.Id));
    }
}
