using System.Text;
using AgentRefine.Scripts;
using AgentRefine.Synthesis;

namespace AgentRefine.Core.Tests.Synthesis;

/// <summary>The record store's files: what it accepts when it opens them, and how it writes.</summary>
public sealed class JsonlRecordStoreTests : IDisposable
{
    internal const string SmallScript = """{"Environment":{"room":"hall"},"Goal":"Look around.","Completion Conditions":["The player looked."],"Available Actions":{"look":{"description":"Describe the room.","verification code":"^look$","parameters":{}}}}""";
    internal const string SmallGame = """[{"turn":0,"role":"DM","Thought":"t","Observation":"A hall.","parameter_error":false,"place_error":false,"logic_error":false,"task_completed":false},{"turn":1,"role":"Player","Thought":"I look.","Action":"look"},{"turn":2,"role":"DM","Thought":"t","Observation":"Done.","parameter_error":false,"place_error":false,"logic_error":false,"task_completed":true}]""";

    private static readonly byte[] Bom = [0xEF, 0xBB, 0xBF];

    private readonly string _folder = Directory.CreateTempSubdirectory("agentrefine-store-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Accepted => Path.Combine(_folder, "records.jsonl");

    internal static string Line(string id) => $$"""{"id":"{{id}}","script":{{SmallScript}},"trajectory":{{SmallGame}}}""";

    private static SynthesisRecord Record(string id) => new() { Id = id, Script = Script.Parse(SmallScript) };

    [Fact]
    public async Task A_file_starting_with_a_byte_order_mark_resumes_with_its_first_record()
    {
        await File.WriteAllBytesAsync(Accepted, [.. Bom, .. Encoding.UTF8.GetBytes(Line("r1") + "\n")]);

        await using (var store = await JsonlRecordStore.OpenAsync(Accepted))
        {
            store.ExistingRecords.Should().Be(1);
            store.UnreadableLines.Should().Be(0);
            store.TornLinesRemoved.Should().Be(0);
            store.Contains("r1").Should().BeTrue("the first record is not redone");
            await store.AppendAsync(Record("r1"));
            await store.AppendAsync(Record("r2"));
        }

        var read = await SynthesisRecordReader.ReadAsync(Accepted).ToListAsync();
        read.Select(r => r.Error).Should().AllBeEquivalentTo((string?)null);
        read.Select(r => r.Record!.Id).Should().Equal("r1", "r2");
        (await File.ReadAllBytesAsync(Accepted))[..3].Should().Equal(Bom, "the store keeps the file's bytes");
    }

    [Fact]
    public async Task A_file_holding_only_a_byte_order_mark_has_no_torn_line()
    {
        await File.WriteAllBytesAsync(Accepted, Bom);

        await using (var store = await JsonlRecordStore.OpenAsync(Accepted))
        {
            store.TornLinesRemoved.Should().Be(0);
            store.ExistingRecords.Should().Be(0);
            await store.AppendAsync(Record("r1"));
        }

        (await SynthesisRecordReader.ReadAsync(Accepted).ToListAsync()).Should().ContainSingle().Which.Record!.Id.Should().Be("r1");
    }

    [Fact]
    public async Task Flushing_to_disk_writes_every_record_whole()
    {
        var rejected = Path.Combine(_folder, "rejected.jsonl");
        await using (var store = await JsonlRecordStore.OpenAsync(Accepted, rejected, new JsonlRecordStoreOptions { FlushToDisk = true }))
        {
            await store.AppendAsync(Record("a"));
            await store.AppendAsync(new SynthesisRecord { Id = "b", Status = SynthesisStatus.Rejected, Reason = "regex-invalid" });
            await store.AppendAsync(Record("a"));

            // Readable by another reader before the store closes: each append reached the file.
            (await File.ReadAllLinesAsync(Accepted)).Should().ContainSingle().Which.Should().StartWith("{\"id\":\"a\"");
            (await File.ReadAllLinesAsync(rejected)).Should().ContainSingle().Which.Should().StartWith("{\"id\":\"b\"");
        }
    }

    [Fact]
    public async Task Options_are_required()
    {
        var act = () => JsonlRecordStore.OpenAsync(Accepted, null, null!);
        await act.Should().ThrowAsync<ArgumentNullException>().WithParameterName("options");
    }

    [Fact]
    public async Task The_record_reader_accepts_a_byte_order_mark_before_the_first_record()
    {
        await File.WriteAllBytesAsync(Accepted, [.. Bom, .. Encoding.UTF8.GetBytes(Line("r1") + "\n" + Line("r2") + "\n")]);

        var read = await SynthesisRecordReader.ReadAsync(Accepted).ToListAsync();

        read.Select(r => r.Error).Should().Equal(null, null);
        read.Select(r => (r.Record!.Id, r.Record.Source)).Should().Equal(("r1", "records.jsonl:1"), ("r2", "records.jsonl:2"));
    }
}
