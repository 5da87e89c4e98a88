using AgentRefine.Scoring;

namespace AgentRefine.Core.Tests.Scoring;

public sealed class EpisodeReaderTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("agentrefine-episodes-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task The_bundled_sample_reads_with_defaults()
    {
        var episodes = await EpisodeReader.ReadAsync(Path.Combine(AppContext.BaseDirectory, "samples", "episodes.jsonl")).ToListAsync();
        episodes.Should().HaveCount(10);
        episodes.Select(e => e.Run).Distinct().Should().Equal("agent-refine-8b", "baseline-8b");
        episodes[4].Steps[1].Facts.Should().Equal("(on a b)", "(clear a)");
    }

    [Theory]
    [InlineData("{\"task\": \"alfworld\", \"id\": 1, \"subgoals\": [], \"steps\": []}", 1, "default", true)]
    [InlineData("{\"run\": \"r\", \"task\": \"alfworld\", \"id\": \"7\", \"subgoals\": [\"a\"], \"steps\": [{\"action\": \"x\", \"observation\": \"y\"}]}", 7, "r", true)]
    public void Optional_fields_have_defaults(string line, long id, string run, bool valid)
    {
        var episode = EpisodeReader.Parse(System.Text.Encoding.UTF8.GetBytes(line), "e.jsonl:1");
        episode.Id.Should().Be(id);
        episode.Run.Should().Be(run);
        episode.Steps.All(s => s.Valid == valid && !s.Done).Should().BeTrue();
    }

    [Theory]
    [InlineData("{\"task\": \"alfworld\", \"subgoals\": [], \"steps\": []}", "e.jsonl:3: 'id' is missing or not an integer.")]
    [InlineData("{\"task\": \"alfworld\", \"id\": 1, \"steps\": []}", "e.jsonl:3: 'subgoals' is missing or not an array.")]
    [InlineData("{\"task\": \"alfworld\", \"id\": 1, \"subgoals\": [2], \"steps\": []}", "e.jsonl:3: subgoals[0] is not a string.")]
    [InlineData("{\"task\": \"alfworld\", \"id\": 1, \"subgoals\": [], \"steps\": [{\"action\": \"a\"}]}", "e.jsonl:3: steps[0]: 'observation' is missing or not a string.")]
    [InlineData("{\"task\": \"alfworld\", \"id\": 1, \"subgoals\": [], \"steps\": [{\"action\": \"a\", \"observation\": \"o\", \"valid\": \"yes\"}]}", "e.jsonl:3: steps[0]: 'valid' is not a boolean.")]
    [InlineData("[1]", "e.jsonl:3: the line is an array, not an episode object.")]
    public void Malformed_lines_name_file_line_and_field(string line, string message)
    {
        var act = () => EpisodeReader.Parse(System.Text.Encoding.UTF8.GetBytes(line), "e.jsonl:3");
        act.Should().Throw<InvalidDataException>().WithMessage(message);
    }

    [Fact]
    public async Task File_errors_carry_the_line_number()
    {
        var path = Path.Combine(_folder, "e.jsonl");
        await File.WriteAllTextAsync(path, "{\"task\": \"alfworld\", \"id\": 1, \"subgoals\": [], \"steps\": []}\n\n{oops\n");
        var act = async () => await EpisodeReader.ReadAsync(path).ToListAsync();
        await act.Should().ThrowAsync<InvalidDataException>().WithMessage("e.jsonl:3: invalid JSON (*");
    }

    [Fact]
    public async Task Every_sample_episode_round_trips_through_its_json_line()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "samples", "episodes.jsonl");
        var episodes = await EpisodeReader.ReadAsync(path).ToListAsync();

        foreach (var episode in episodes)
        {
            var again = EpisodeReader.Parse(System.Text.Encoding.UTF8.GetBytes(episode.ToJson()), "again");
            again.ToJson().Should().Be(episode.ToJson());
            again.Steps.Should().BeEquivalentTo(episode.Steps);
            again.Subgoals.Should().Equal(episode.Subgoals);
        }

        episodes[4].ToJson().Should().Be(
            """{"run":"agent-refine-8b","task":"pddl","id":9,"difficulty":"easy","goal":"stack a on b","subgoals":["(on a b)","(clear a)"],"steps":[{"action":"pick-up a","observation":"You pick up a.","valid":true,"done":false,"facts":["(holding a)"]},{"action":"stack a b","observation":"You stack a on b.","valid":true,"done":false,"facts":["(on a b)","(clear a)"]}]}""");
    }

    [Fact]
    public void A_malformed_episode_still_writes_json()
    {
        new Episode(null!, "t", 1, null, null!, null!, null!).ToJson().Should().Be("""{"run":null,"task":"t","id":1,"difficulty":null,"goal":null,"subgoals":null,"steps":null}""");
        new Episode("r", "t", 1, null, "g", [null!], [null!, new EpisodeStep(null!, "o", false, true)]).ToJson().Should().Be(
            """{"run":"r","task":"t","id":1,"difficulty":null,"goal":"g","subgoals":[null],"steps":[null,{"action":null,"observation":"o","valid":false,"done":true}]}""");
    }

    [Fact]
    public async Task A_byte_order_mark_at_the_start_of_the_file_is_accepted()
    {
        var path = Path.Combine(_folder, "bom.jsonl");
        var line = "{\"task\": \"pddl\", \"id\": 1, \"subgoals\": [], \"steps\": []}\n";
        await File.WriteAllBytesAsync(path, [0xEF, 0xBB, 0xBF, .. System.Text.Encoding.UTF8.GetBytes(line + line)]);

        var episodes = await EpisodeReader.ReadAsync(path).ToListAsync();

        episodes.Should().HaveCount(2);
        episodes[0].Task.Should().Be("pddl");
    }

    [Fact]
    public async Task A_byte_order_mark_inside_the_file_is_still_an_error()
    {
        var path = Path.Combine(_folder, "bom2.jsonl");
        var line = System.Text.Encoding.UTF8.GetBytes("{\"task\": \"pddl\", \"id\": 1, \"subgoals\": [], \"steps\": []}\n");
        await File.WriteAllBytesAsync(path, [.. line, 0xEF, 0xBB, 0xBF, .. line]);

        var act = async () => await EpisodeReader.ReadAsync(path).ToListAsync();

        await act.Should().ThrowAsync<InvalidDataException>().WithMessage("bom2.jsonl:2: invalid JSON ('0xEF' is an invalid start of a value.*");
    }

    [Fact]
    public async Task A_stream_reads_like_a_file_and_is_left_open()
    {
        var bytes = await File.ReadAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "samples", "episodes.jsonl"));
        using var stream = new MemoryStream(bytes);

        var episodes = await EpisodeReader.ReadAsync(stream, "upload.jsonl").ToListAsync();

        episodes.Should().HaveCount(10);
        stream.CanRead.Should().BeTrue();
        var bad = () => EpisodeReader.ReadAsync(new MemoryStream("{}\n"u8.ToArray()), "upload.jsonl").ToListAsync().AsTask();
        await bad.Should().ThrowAsync<InvalidDataException>().WithMessage("upload.jsonl:1: 'task' is missing or not a string.");
    }
}
