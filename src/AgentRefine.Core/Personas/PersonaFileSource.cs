using AgentRefine.Json;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace AgentRefine.Personas;

/// <summary>
/// Reads personas from a Persona Hub JSON Lines file (<c>{"persona": "..."}</c> a line; other keys are
/// ignored) or a plain text file (one persona a line; the two may be mixed). Blank lines are skipped,
/// repeated personas (same text after trimming) are read once, and sampling follows
/// <see cref="PersonaSourceOptions.Seed"/>. A malformed line is an <see cref="InvalidDataException"/>
/// naming <c>file:line</c>.
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
        using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        var number = 0;
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            number++;
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
