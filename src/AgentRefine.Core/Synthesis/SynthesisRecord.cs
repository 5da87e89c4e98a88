using AgentRefine.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AgentRefine.Personas;
using AgentRefine.Scripts;
using AgentRefine.Trajectories;

namespace AgentRefine.Synthesis;

/// <summary>
/// One synthesis record, written as one JSON line:
/// <c>{"id", "status", "persona", "script", "trajectory"[, "reason"], "provenance", "usage", "verdicts"}</c>.
/// An accepted record holds the verified script and trajectory; a rejected one holds the last script
/// read (if any), the last verified prefix (if any), the deciding reason and every verdict.
/// </summary>
public sealed class SynthesisRecord
{
    /// <summary>The record id: a stable hash of the persona text and the run's seed (see <see cref="ComputeId"/>).</summary>
    public required string Id { get; init; }

    /// <summary>Accepted or rejected.</summary>
    public required SynthesisStatus Status { get; init; }

    /// <summary>The persona.</summary>
    public required Persona Persona { get; init; }

    /// <summary>The verified script (accepted), or the last script read (rejected), if any.</summary>
    public Script? Script { get; init; }

    /// <summary>The accepted trajectory, or the last verified prefix (rejected), if any.</summary>
    public Trajectory? Trajectory { get; init; }

    /// <summary>
    /// Why a rejected record was rejected: the deciding code of its last verdict, or
    /// <c>budget-exhausted</c> when the last generation produced an accepted script and no call was left for the game.
    /// </summary>
    public string? Reason { get; init; }

    /// <summary>Every verdict, in order.</summary>
    public required IReadOnlyList<SynthesisVerdict> Verdicts { get; init; }

    /// <summary>Models, prompt versions, seed, calls.</summary>
    public required RecordProvenance Provenance { get; init; }

    /// <summary>Tokens summed over the record's calls.</summary>
    public required TokenUsage Usage { get; init; }

    /// <summary>The JSON name of <see cref="Status"/>.</summary>
    public string StatusName => Status switch
    {
        SynthesisStatus.Accepted => "accepted",
        SynthesisStatus.Rejected => "rejected",
        _ => "unfinished",
    };

    /// <summary>
    /// The id of a persona's record: the first 16 bytes, in lowercase hex, of the SHA-256 of the
    /// persona text (trimmed, UTF-8), a unit separator, and the seed (empty when none).
    /// </summary>
    /// <param name="personaText">The persona.</param>
    /// <param name="seed">The run's seed.</param>
    /// <returns>The 32-character id.</returns>
    public static string ComputeId(string personaText, int? seed)
    {
        ArgumentNullException.ThrowIfNull(personaText);
        var material = personaText.Trim() + "\u001f" + (seed?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(material)).AsSpan(0, 16));
    }

    /// <summary>Writes the record as one JSON object.</summary>
    /// <param name="writer">The destination.</param>
    public void WriteTo(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteString("id", Id);
        writer.WriteString("status", StatusName);
        writer.WriteString("persona", Persona.Text);
        writer.WritePropertyName("script");
        if (Script is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            Script.WriteTo(writer);
        }

        writer.WritePropertyName("trajectory");
        if (Trajectory is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            Trajectory.WriteTo(writer);
        }

        if (Reason is not null)
        {
            writer.WriteString("reason", Reason);
        }

        writer.WriteStartObject("provenance");
        writer.WriteStartArray("models");
        foreach (var model in Provenance.Models)
        {
            writer.WriteStringValue(model);
        }

        writer.WriteEndArray();
        writer.WriteStartObject("promptVersions");
        writer.WriteString("script", Provenance.ScriptPromptVersion);
        writer.WriteString("trajectory", Provenance.TrajectoryPromptVersion);
        writer.WriteEndObject();
        if (Provenance.Seed is { } seed)
        {
            writer.WriteNumber("seed", seed);
        }
        else
        {
            writer.WriteNull("seed");
        }

        writer.WriteNumber("calls", Provenance.Calls);
        writer.WriteNumber("retries", Provenance.Retries);
        writer.WriteNumber("cachedCalls", Provenance.CachedCalls);
        writer.WriteString("personaSource", Provenance.PersonaSource);
        writer.WriteEndObject();
        writer.WriteStartObject("usage");
        writer.WriteNumber("inputTokens", Usage.InputTokens);
        writer.WriteNumber("outputTokens", Usage.OutputTokens);
        writer.WriteEndObject();
        writer.WriteStartArray("verdicts");
        foreach (var verdict in Verdicts)
        {
            writer.WriteStartObject();
            writer.WriteString("stage", verdict.Stage);
            writer.WriteNumber("attempt", verdict.Attempt);
            writer.WriteString("outcome", verdict.Outcome);
            writer.WriteNumber("keptTurns", verdict.KeptTurns);
            writer.WriteNumber("errorRefineTurns", verdict.ErrorRefineTurns);
            writer.WriteStartArray("issues");
            foreach (var issue in verdict.Issues)
            {
                issue.WriteTo(writer);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>The record as one line of JSON (no line break inside, none at the end).</summary>
    /// <returns>The line.</returns>
    public string ToJsonLine() => CanonicalJson.Write(WriteTo, indented: false);
}
