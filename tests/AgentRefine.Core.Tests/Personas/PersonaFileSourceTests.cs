using AgentRefine.Personas;

namespace AgentRefine.Core.Tests.Personas;

public sealed class PersonaFileSourceTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("agentrefine-personas-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Write(string content)
    {
        var path = Path.Combine(_folder, "p.jsonl");
        File.WriteAllText(path, content);
        return path;
    }

    private static Task<List<Persona>> Read(string path, int? limit = null, int? seed = null) =>
        new PersonaFileSource(new PersonaSourceOptions { Path = path, Limit = limit, Seed = seed }).ReadAsync().ToListAsync().AsTask();

    [Fact]
    public async Task Reads_jsonl_and_plain_lines_skipping_blanks_and_duplicates()
    {
        var path = Write("{\"persona\": \"A chef\", \"id\": 1}\n\n   \nA pilot\n{\"persona\": \"  A chef \"}\nA pilot\r\n\"quoted\" prose\n");
        var personas = await Read(path);
        personas.Should().Equal(new Persona("A chef", "p.jsonl:1"), new Persona("A pilot", "p.jsonl:4"), new Persona("\"quoted\" prose", "p.jsonl:7"));
    }

    [Theory]
    [InlineData("A chef\n{\"persona\": \"x\"\n", "p.jsonl:2: invalid JSON (*")]
    [InlineData("{\"name\": \"x\"}\n", "p.jsonl:1: the JSON object has no \"persona\" string.")]
    [InlineData("{\"persona\": \"  \"}\n", "p.jsonl:1: \"persona\" is empty.")]
    public async Task A_bad_line_names_file_and_line(string content, string message)
    {
        var act = () => Read(Write(content));
        await act.Should().ThrowAsync<InvalidDataException>().WithMessage(message);
    }

    [Fact]
    public async Task An_overlong_persona_is_an_error()
    {
        var path = Write(new string('x', 50) + "\n");
        var act = () => new PersonaFileSource(new PersonaSourceOptions { Path = path, MaxPersonaLength = 10 }).ReadAsync().ToListAsync().AsTask();
        await act.Should().ThrowAsync<InvalidDataException>().WithMessage("p.jsonl:1: the persona is 50 characters long, over the limit of 10.");
    }

    [Fact]
    public async Task Without_a_seed_the_file_order_is_kept_and_cut_at_the_limit()
    {
        var path = Write(string.Join("\n", Enumerable.Range(1, 20).Select(i => $"persona {i}")));
        (await Read(path, limit: 3)).Select(p => p.Text).Should().Equal("persona 1", "persona 2", "persona 3");
        (await Read(path, limit: 0)).Should().BeEmpty();
    }

    [Fact]
    public async Task A_seed_samples_reproducibly()
    {
        var path = Write(string.Join("\n", Enumerable.Range(1, 200).Select(i => $"persona {i}")));
        var first = (await Read(path, limit: 10, seed: 7)).Select(p => p.Text).ToList();
        var again = (await Read(path, limit: 10, seed: 7)).Select(p => p.Text).ToList();
        var other = (await Read(path, limit: 10, seed: 8)).Select(p => p.Text).ToList();

        first.Should().HaveCount(10).And.OnlyHaveUniqueItems().And.Equal(again);
        other.Should().NotEqual(first);
        first.Should().NotEqual(Enumerable.Range(1, 10).Select(i => $"persona {i}"));
        (await Read(path, seed: 7)).Should().HaveCount(200, "without a limit the whole file is shuffled");
    }

    [Fact]
    public async Task The_bundled_samples_hold_at_least_fifty_distinct_personas()
    {
        var personas = await Read(Path.Combine(AppContext.BaseDirectory, "samples", "personas.jsonl"));
        personas.Should().HaveCountGreaterThanOrEqualTo(50);
        personas.Select(p => p.Text).Should().OnlyHaveUniqueItems();
    }

    [Fact]
    public void A_path_is_required()
    {
        var act = () => new PersonaFileSource(new PersonaSourceOptions());
        act.Should().Throw<ArgumentException>().WithParameterName("Path");
    }
}
