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

    private string WriteBytes(byte[] content)
    {
        var path = Path.Combine(_folder, "p.jsonl");
        File.WriteAllBytes(path, content);
        return path;
    }

    /// <summary>The first bytes of a PNG image: a signature with a line break in it, then NUL-padded chunks.</summary>
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x01, 0x00, 0x0A, 0x08, 0x06];

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
    public async Task A_binary_file_is_refused_naming_file_and_line()
    {
        var act = () => Read(WriteBytes(Png));
        await act.Should().ThrowAsync<InvalidDataException>().WithMessage(
            "p.jsonl:1: not a persona file: the line is not valid UTF-8: a binary file, or text in another encoding (save it as UTF-8). A persona file is text, one persona a line (or {\"persona\": \"...\"} JSON Lines).");
    }

    [Fact]
    public async Task A_nul_byte_is_refused_naming_its_line()
    {
        var act = () => Read(WriteBytes([.. "A chef\nA pi"u8, 0x00, .. "lot\n"u8]));
        await act.Should().ThrowAsync<InvalidDataException>().WithMessage(
            "p.jsonl:2: not a persona file: the line holds a NUL byte: a binary file, or UTF-16 text without a byte order mark. A persona file is text, one persona a line (or {\"persona\": \"...\"} JSON Lines).");
    }

    [Fact]
    public async Task Text_in_another_encoding_is_refused_instead_of_read_with_replacement_characters()
    {
        var latin1 = System.Text.Encoding.Latin1.GetBytes("A chef\nA caf\u00e9 owner\n");
        var act = () => Read(WriteBytes(latin1));
        (await act.Should().ThrowAsync<InvalidDataException>()).Which.Message.Should().StartWith("p.jsonl:2: not a persona file: the line is not valid UTF-8");
    }

    [Fact]
    public async Task A_byte_order_mark_is_accepted_in_utf8_and_utf16()
    {
        (await Read(WriteBytes([0xEF, 0xBB, 0xBF, .. "{\"persona\": \"A chef\"}\nA pilot\n"u8]))).Should().Equal(new Persona("A chef", "p.jsonl:1"), new Persona("A pilot", "p.jsonl:2"));
        var utf16 = System.Text.Encoding.Unicode;
        (await Read(WriteBytes([.. utf16.GetPreamble(), .. utf16.GetBytes("A caf\u00e9 owner\r\nA pilot\r\n")]))).Should().Equal(new Persona("A caf\u00e9 owner", "p.jsonl:1"), new Persona("A pilot", "p.jsonl:2"));
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
