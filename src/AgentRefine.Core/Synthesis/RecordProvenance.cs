using System.Globalization;
using System.Text.Json;
using AgentRefine.Json;
using AgentRefine.Verification;

namespace AgentRefine.Synthesis;

/// <summary>
/// Where a record came from: models, prompt versions, seed, calls, and the verifier settings it was
/// accepted under. Every member is optional, so that records written by other tools read too.
/// </summary>
public sealed record RecordProvenance
{
    /// <summary>The <c>regexEngine</c> value of the backtracking engine (with the match timeout).</summary>
    internal const string BacktrackingEngine = "backtracking";

    /// <summary>The <c>regexEngine</c> value of the non-backtracking engine (<see cref="VerifierOptions.UseNonBacktrackingEngine"/>).</summary>
    internal const string NonBacktrackingEngine = "non-backtracking";

    /// <summary>The model ids the responses reported, distinct, in order of first use. Default empty.</summary>
    public IReadOnlyList<string> Models { get; init; } = [];

    /// <summary>The script prompt's version, if known.</summary>
    public string? ScriptPromptVersion { get; init; }

    /// <summary>The trajectory prompt's version, if known.</summary>
    public string? TrajectoryPromptVersion { get; init; }

    /// <summary>The run's seed, if any.</summary>
    public int? Seed { get; init; }

    /// <summary>Generations used (at most the budget; transport retries excluded).</summary>
    public int Calls { get; init; }

    /// <summary>Transport retries over all calls.</summary>
    public int Retries { get; init; }

    /// <summary>Calls answered by the response cache.</summary>
    public int CachedCalls { get; init; }

    /// <summary>Where the persona was read (<c>file:line</c>), if known.</summary>
    public string? PersonaSource { get; init; }

    /// <summary>
    /// The verifier settings the record was verified under when it was synthesized (JSON
    /// <c>"verifier": {"minErrorRefineTurns", "regexTimeoutMs", "regexEngine", "maxVerificationCodeLength"}</c>);
    /// <see langword="null"/> when not recorded, in which case conversion uses the defaults.
    /// </summary>
    public VerifierOptions? Verifier { get; init; }

    /// <summary>Writes <c>{"models", "promptVersions": {"script", "trajectory"}, "seed", "calls", "retries", "cachedCalls"[, "personaSource"][, "verifier"]}</c>.</summary>
    internal void WriteTo(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteStartArray("models");
        foreach (var model in Models)
        {
            writer.WriteStringValue(model);
        }

        writer.WriteEndArray();
        writer.WriteStartObject("promptVersions");
        writer.WriteString("script", ScriptPromptVersion);
        writer.WriteString("trajectory", TrajectoryPromptVersion);
        writer.WriteEndObject();
        if (Seed is { } seed)
        {
            writer.WriteNumber("seed", seed);
        }
        else
        {
            writer.WriteNull("seed");
        }

        writer.WriteNumber("calls", Calls);
        writer.WriteNumber("retries", Retries);
        writer.WriteNumber("cachedCalls", CachedCalls);
        if (PersonaSource is not null)
        {
            writer.WriteString("personaSource", PersonaSource);
        }

        if (Verifier is { } verifier)
        {
            writer.WriteStartObject("verifier");
            writer.WriteNumber("minErrorRefineTurns", verifier.MinErrorRefineTurns);
            writer.WriteNumber("regexTimeoutMs", verifier.RegexMatchTimeout.TotalMilliseconds);
            writer.WriteString("regexEngine", verifier.UseNonBacktrackingEngine ? NonBacktrackingEngine : BacktrackingEngine);
            writer.WriteNumber("maxVerificationCodeLength", verifier.MaxVerificationCodeLength);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    /// <summary>
    /// Reads a provenance object. Informational members of another type than written are ignored;
    /// the verifier settings decide what a conversion accepts, so a bad one is an error.
    /// </summary>
    /// <param name="value">The <c>provenance</c> object.</param>
    /// <param name="error">Why the verifier settings cannot be used, naming the member.</param>
    /// <returns>The provenance, or <see langword="null"/> with <paramref name="error"/> set.</returns>
    internal static RecordProvenance? Read(JsonElement value, out string? error)
    {
        error = null;
        VerifierOptions? verifier = null;
        if (value.TryGetProperty("verifier", out var settings) && settings.ValueKind != JsonValueKind.Null)
        {
            verifier = ReadVerifier(settings, out error);
            if (verifier is null)
            {
                return null;
            }
        }

        var versions = value.TryGetProperty("promptVersions", out var v) ? v : default;
        return new RecordProvenance
        {
            Models = value.TryGetProperty("models", out var models) && models.ValueKind == JsonValueKind.Array
                ? models.EnumerateArray().Where(m => m.ValueKind == JsonValueKind.String).Select(m => m.GetString()!).ToArray()
                : [],
            ScriptPromptVersion = JsonValues.TryGetString(versions, "script", out var script) ? script : null,
            TrajectoryPromptVersion = JsonValues.TryGetString(versions, "trajectory", out var trajectory) ? trajectory : null,
            Seed = Int32(value, "seed"),
            Calls = Int32(value, "calls") ?? 0,
            Retries = Int32(value, "retries") ?? 0,
            CachedCalls = Int32(value, "cachedCalls") ?? 0,
            PersonaSource = JsonValues.TryGetString(value, "personaSource", out var source) ? source : null,
            Verifier = verifier,
        };
    }

    private static int? Int32(JsonElement value, string name) =>
        value.TryGetProperty(name, out var property) && JsonValues.TryGetInt32(property, out var number) ? number : null;

    private static VerifierOptions? ReadVerifier(JsonElement settings, out string? error)
    {
        error = null;
        if (settings.ValueKind != JsonValueKind.Object)
        {
            error = $"'provenance.verifier' is {LlmJsonText.KindName(settings.ValueKind)}, not an object";
            return null;
        }

        var options = new VerifierOptions();
        if (settings.TryGetProperty("minErrorRefineTurns", out var min))
        {
            if (!JsonValues.TryGetInt32(min, out var turns) || turns < 0)
            {
                error = "'provenance.verifier.minErrorRefineTurns' must be a whole number, 0 or more";
                return null;
            }

            options.MinErrorRefineTurns = turns;
        }

        if (settings.TryGetProperty("regexTimeoutMs", out var timeout))
        {
            if (timeout.ValueKind != JsonValueKind.Number || !timeout.TryGetDouble(out var milliseconds) || !(milliseconds > 0) || milliseconds > int.MaxValue)
            {
                error = "'provenance.verifier.regexTimeoutMs' must be a number of milliseconds above 0";
                return null;
            }

            options.RegexMatchTimeout = TimeSpan.FromMilliseconds(milliseconds);
        }

        if (settings.TryGetProperty("regexEngine", out var engine))
        {
            var name = engine.ValueKind == JsonValueKind.String ? engine.GetString() : null;
            if (!string.Equals(name, BacktrackingEngine, StringComparison.OrdinalIgnoreCase) && !string.Equals(name, NonBacktrackingEngine, StringComparison.OrdinalIgnoreCase))
            {
                error = string.Create(CultureInfo.InvariantCulture, $"'provenance.verifier.regexEngine' must be \"{BacktrackingEngine}\" or \"{NonBacktrackingEngine}\"");
                return null;
            }

            options.UseNonBacktrackingEngine = string.Equals(name, NonBacktrackingEngine, StringComparison.OrdinalIgnoreCase);
        }

        if (settings.TryGetProperty("maxVerificationCodeLength", out var length))
        {
            if (!JsonValues.TryGetInt32(length, out var characters) || characters < 1)
            {
                error = "'provenance.verifier.maxVerificationCodeLength' must be a whole number, 1 or more";
                return null;
            }

            options.MaxVerificationCodeLength = characters;
        }

        return options;
    }
}
