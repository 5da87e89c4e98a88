using AgentRefine.Json;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace AgentRefine.Personas;

/// <summary>
/// Reads personas from a Persona Hub JSON Lines file (<c>{"persona": "..."}</c> a line; other keys are
/// ignored) or a plain text file (one persona a line; the two may be mixed). Blank lines are skipped,
/// repeated personas (same text after trimming) are read once, and sampling follows
/// <see cref="PersonaSourceOptions.Seed"/>. The file is UTF-8 (a byte order mark is accepted) or UTF-16
/// with a byte order mark. A malformed line, and a line that is not text (a NUL byte, or bytes that
/// are not valid UTF-8, as in a binary file), is an <see cref="InvalidDataException"/> naming <c>file:line</c>.
/// </summary>
public sealed class PersonaFileSource : IPersonaSource
{
    private readonly PersonaSourceOptions _options;

    /// <summary>Creates a source.</summary>
    /// <param name="options">The settings; <see cref="PersonaSourceOptions.Path"/> is required.</param>
    /// <exception cref="ArgumentException">No path is set, or a limit is out of range.</exception>
    public PersonaFileSource(PersonaSourceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Path, nameof(PersonaSourceOptions.Path));
        if (options.Limit is { } limit)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(limit, nameof(PersonaSourceOptions.Limit));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxPersonaLength, 1, nameof(PersonaSourceOptions.MaxPersonaLength));
        _options = new PersonaSourceOptions { Path = options.Path, Limit = options.Limit, Seed = options.Seed, MaxPersonaLength = options.MaxPersonaLength };
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<Persona> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (_options.Seed is null)
        {
            var taken = 0;
            await foreach (var persona in ReadDistinctAsync(cancellationToken).ConfigureAwait(false))
            {
                if (taken++ == _options.Limit)
                {
                    yield break;
                }

                yield return persona;
            }

            yield break;
        }

        // Reservoir sampling (algorithm R) keeps memory at Limit personas; then a seeded shuffle.
        var random = new Random(_options.Seed.Value);
        var capacity = _options.Limit ?? int.MaxValue;
        var reservoir = new List<Persona>();
        var seen = 0;
        await foreach (var persona in ReadDistinctAsync(cancellationToken).ConfigureAwait(false))
        {
            seen++;
            if (reservoir.Count < capacity)
            {
                reservoir.Add(persona);
            }
            else
            {
                var slot = random.Next(seen);
                if (slot < capacity)
                {
                    reservoir[slot] = persona;
                }
            }
        }

        var sample = reservoir.ToArray();
        random.Shuffle(sample);
        foreach (var persona in sample)
        {
            yield return persona;
        }
    }

    private async IAsyncEnumerable<Persona> ReadDistinctAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var path = _options.Path!;
        var name = System.IO.Path.GetFileName(path);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var (number, line) in ReadLinesAsync(path, name, cancellationToken).ConfigureAwait(false))
        {
            var text = ParseLine(line, name, number);
            if (text is null)
            {
                continue;
            }

            if (text.Length > _options.MaxPersonaLength)
            {
                throw new InvalidDataException($"{name}:{number}: the persona is {text.Length:N0} characters long, over the limit of {_options.MaxPersonaLength:N0}.");
            }

            if (seen.Add(text))
            {
                yield return new Persona(text, $"{name}:{number}");
            }
        }
    }

    /// <summary>
    /// The file's non-blank lines as text: UTF-8 (with or without a byte order mark), or UTF-16 when the
    /// file starts with a UTF-16 byte order mark (as Windows PowerShell writes). A line that is not
    /// text (a NUL character, or bytes that are not valid UTF-8 / UTF-16) is an <see cref="InvalidDataException"/>
    /// naming <c>file:line</c>, so a binary file is refused instead of read as personas.
    /// </summary>
    private static IAsyncEnumerable<(int Number, string Text)> ReadLinesAsync(string path, string name, CancellationToken cancellationToken) =>
        Utf16EncodingOf(path) is { } utf16
            ? ReadUtf16LinesAsync(path, utf16, name, cancellationToken)
            : Utf8LineReader.ParseLinesAsync(path, (line, number, _) => (number, DecodeUtf8(line, name, number)), cancellationToken);

    private static string DecodeUtf8(ReadOnlySpan<byte> line, string name, int number)
    {
        if (line.Contains((byte)0))
        {
            throw NotText(name, number, "holds a NUL byte: a binary file, or UTF-16 text without a byte order mark");
        }

        if (!System.Text.Unicode.Utf8.IsValid(line))
        {
            throw NotText(name, number, "is not valid UTF-8: a binary file, or text in another encoding (save it as UTF-8)");
        }

        return Encoding.UTF8.GetString(line);
    }

    private static async IAsyncEnumerable<(int Number, string Text)> ReadUtf16LinesAsync(string path, Encoding encoding, string name, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(path, encoding, detectEncodingFromByteOrderMarks: true);
        var number = 0;
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            number++;
            if (line.Contains('\0', StringComparison.Ordinal))
            {
                throw NotText(name, number, "holds a NUL character: a binary file");
            }

            // The decoder replaces what is not UTF-16 (a lone surrogate) with U+FFFD.
            if (line.Contains('\uFFFD', StringComparison.Ordinal))
            {
                throw NotText(name, number, "is not valid UTF-16: a binary file");
            }

            yield return (number, line);
        }
    }

    /// <summary>UTF-16 (little- or big-endian) when the file starts with its byte order mark; otherwise <see langword="null"/> (UTF-8).</summary>
    private static Encoding? Utf16EncodingOf(string path)
    {
        using var handle = File.OpenHandle(path);
        Span<byte> start = stackalloc byte[2];
        var read = RandomAccess.Read(handle, start, fileOffset: 0);
        return read < 2 ? null : (start[0], start[1]) switch
        {
            (0xFF, 0xFE) => Encoding.Unicode,
            (0xFE, 0xFF) => Encoding.BigEndianUnicode,
            _ => null,
        };
    }

    private static InvalidDataException NotText(string name, int number, string problem) =>
        new($"{name}:{number}: not a persona file: the line {problem}. A persona file is text, one persona a line (or {{\"persona\": \"...\"}} JSON Lines).");

    /// <summary>The persona on a line, or <see langword="null"/> for a blank line.</summary>
    private static string? ParseLine(string line, string name, int number)
    {
        var trimmed = line.Trim();
        if (trimmed.Length == 0)
        {
            return null;
        }

        if (trimmed[0] != '{')
        {
            return trimmed;
        }

        try
        {
            using var document = JsonDocument.Parse(trimmed);
            if (document.RootElement.TryGetProperty("persona", out var persona) && persona.ValueKind == JsonValueKind.String)
            {
                var text = persona.GetString()!.Trim();
                return text.Length > 0 ? text : throw new InvalidDataException($"{name}:{number}: \"persona\" is empty.");
            }

            throw new InvalidDataException($"{name}:{number}: the JSON object has no \"persona\" string.");
        }
        catch (JsonException exception)
        {
            throw new InvalidDataException($"{name}:{number}: invalid JSON ({LlmJsonText.ShortMessage(exception)}).", exception);
        }
    }
}
