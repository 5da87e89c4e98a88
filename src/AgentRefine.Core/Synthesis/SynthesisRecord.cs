using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AgentRefine.Json;
using AgentRefine.Personas;
using AgentRefine.Scripts;
using AgentRefine.Trajectories;

namespace AgentRefine.Synthesis;

/// <summary>
/// One synthesis record, from the synthesis loop that makes it to the reader that reads it back. It is
/// written as one JSON line, <c>{"id", "status", "persona", "script", "trajectory"[, "reason"],
/// "provenance", "usage", "verdicts"}</c>, and read back by <see cref="SynthesisRecordReader"/> from
/// any line in the record contract (only <c>id</c>, <c>script</c> and <c>trajectory</c> are required).
/// An accepted record holds the verified script and trajectory; a rejected one the last script read
/// (if any), the last verified prefix (if any), the deciding reason and every verdict.
/// </summary>
/// <remarks>
/// A record read from a file keeps its script and trajectory as read (<see cref="ScriptRead"/>,
/// <see cref="TrajectoryRead"/>), so that they can be verified again before use: a file's content is
/// not trusted to be what its status says. A record made in memory reads its typed
/// <see cref="Script"/> and <see cref="Trajectory"/> through the same two members, so a converter
/// handles both alike. Set either the typed members or the read results, not both.
/// </remarks>
public sealed class SynthesisRecord
{
    private static readonly ScriptReadResult NoScript = ScriptReadResult.Failed("the record has no script");
    private static readonly TrajectoryReadResult NoTrajectory = TrajectoryReadResult.Complete([]);
    private readonly Script? _script;
    private readonly Trajectory? _trajectory;
    private readonly ScriptReadResult? _scriptRead;
    private readonly TrajectoryReadResult? _trajectoryRead;
    private StrongBox<Trajectory?>? _typedTurns;
    private TrajectoryReadResult? _turnsAsRead;

    /// <summary>The record id: for the synthesis loop, a stable hash of the persona text and the run's seed (see <see cref="ComputeId"/>).</summary>
    public required string Id { get; init; }

    /// <summary>Accepted, rejected or unfinished. Default <see cref="SynthesisStatus.Accepted"/> (a record that names no status).</summary>
    public SynthesisStatus Status { get; init; } = SynthesisStatus.Accepted;

    /// <summary>The persona, if known (read back with <see cref="RecordProvenance.PersonaSource"/>, else the record's own <c>file:line</c>, as its source).</summary>
    public Persona? Persona { get; init; }

    /// <summary>
    /// The verified script (accepted), or the last script read (rejected), if any. For a record read
    /// from a file: the script as read, or <see langword="null"/> when it could not be read
    /// (<see cref="ScriptRead"/> says why).
    /// </summary>
    public Script? Script
    {
        get => _script ?? _scriptRead?.Script;
        init => _script = value;
    }

    /// <summary>
    /// The accepted trajectory, or the last verified prefix (rejected), if any. For a record read from
    /// a file: its turns typed on first use, or <see langword="null"/> when it has none, its JSON
    /// broke, or a turn does not have exactly its role's keys (<see cref="TrajectoryRead"/> holds the
    /// turns as read; verification says what is wrong).
    /// </summary>
    public Trajectory? Trajectory
    {
        get => _trajectory ?? TypedTurns();
        init => _trajectory = value;
    }

    /// <summary>
    /// The script as read from the file (a <c>script</c> object, or a string of model output read with
    /// <see cref="ScriptReader"/>), for verification. For a record made in memory: <see cref="Script"/>,
    /// or a failed read when there is none. Set <see langword="null"/> for a record that has no script.
    /// </summary>
    [AllowNull]
    public ScriptReadResult ScriptRead
    {
        get => _scriptRead ?? (_script is null ? NoScript : ScriptReadResult.FromScript(_script));
        init => _scriptRead = value;
    }

    /// <summary>
    /// The trajectory's turns as read from the file (an array of turns, or a string of model output
    /// read with <see cref="TrajectoryReader"/>), kept as JSON values for the verifier's strict key
    /// check. For a record made in memory: <see cref="Trajectory"/>'s turns; empty when there is none.
    /// Set <see langword="null"/> for a record that has no trajectory.
    /// </summary>
    [AllowNull]
    public TrajectoryReadResult TrajectoryRead
    {
        get => _trajectoryRead ?? (_trajectory is null ? NoTrajectory : _turnsAsRead ??= TrajectoryReadResult.FromTurns(_trajectory));
        init => _trajectoryRead = value;
    }

    /// <summary>
    /// Why a rejected record was rejected: the deciding code of its last verdict, or
    /// <c>budget-exhausted</c> when the last generation produced an accepted script and no call was left for the game.
    /// </summary>
    public string? Reason { get; init; }

    /// <summary>Every verdict, in order. Default empty (read back only when every verdict of the file's <c>verdicts</c> is well-formed).</summary>
    public IReadOnlyList<SynthesisVerdict> Verdicts { get; init; } = [];

    /// <summary>Models, prompt versions, seed, calls and verifier settings; <see langword="null"/> when not known.</summary>
    public RecordProvenance? Provenance { get; init; }

    /// <summary>Tokens summed over the record's calls. Default <see cref="TokenUsage.Zero"/>.</summary>
    public TokenUsage Usage { get; init; } = TokenUsage.Zero;

    /// <summary>Where the record was read, as <c>file:line</c>; <see langword="null"/> for a record made in memory.</summary>
    public string? Source { get; init; }

    /// <summary>The JSON name of <see cref="Status"/>: <c>accepted</c>, <c>rejected</c> or <c>unfinished</c>.</summary>
    public string StatusName => SynthesisJsonNames.Of(Status);

    /// <summary>Whether <see cref="Status"/> is <see cref="SynthesisStatus.Accepted"/>.</summary>
    public bool IsAccepted => Status == SynthesisStatus.Accepted;

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

    /// <summary>
    /// Writes the record as one JSON object: <c>id</c>, <c>status</c>, <c>persona</c> (when known),
    /// <c>script</c> and <c>trajectory</c> (canonical, or <see langword="null"/>), <c>reason</c> (when
    /// set), <c>provenance</c> (when known), <c>usage</c> (<c>cachedInputTokens</c> only when not 0) and
    /// <c>verdicts</c>. A record read from a file writes its script as parsed and its turns as read.
    /// </summary>
    /// <param name="writer">The destination.</param>
    public void WriteTo(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteString("id", Id);
        writer.WriteString("status", StatusName);
        if (Persona is { } persona)
        {
            writer.WriteString("persona", persona.Text);
        }

        writer.WritePropertyName("script");
        if (Script is { } script)
        {
            script.WriteTo(writer);
        }
        else
        {
            writer.WriteNullValue();
        }

        writer.WritePropertyName("trajectory");
        WriteTrajectory(writer);
        if (Reason is not null)
        {
            writer.WriteString("reason", Reason);
        }

        if (Provenance is { } provenance)
        {
            writer.WritePropertyName("provenance");
            provenance.WriteTo(writer);
        }

        writer.WriteStartObject("usage");
        writer.WriteNumber("inputTokens", Usage.InputTokens);
        writer.WriteNumber("outputTokens", Usage.OutputTokens);
        if (Usage.CachedInputTokens != 0)
        {
            writer.WriteNumber("cachedInputTokens", Usage.CachedInputTokens);
        }

        writer.WriteEndObject();
        writer.WriteStartArray("verdicts");
        foreach (var verdict in Verdicts)
        {
            verdict.WriteTo(writer);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>The record as one line of JSON (no line break inside, none at the end).</summary>
    /// <returns>The line.</returns>
    public string ToJsonLine() => CanonicalJson.Write(WriteTo, indented: false);

    private void WriteTrajectory(Utf8JsonWriter writer)
    {
        if (_trajectory is not null)
        {
            _trajectory.WriteTo(writer);
        }
        else if (_trajectoryRead is { } read)
        {
            writer.WriteStartArray();
            foreach (var turn in read.Turns)
            {
                turn.WriteTo(writer);
            }

            writer.WriteEndArray();
        }
        else
        {
            writer.WriteNullValue();
        }
    }

    private Trajectory? TypedTurns()
    {
        if (_trajectoryRead is not { IsComplete: true } read)
        {
            return null;
        }

        _typedTurns ??= new StrongBox<Trajectory?>(Type(read));
        return _typedTurns.Value;
    }

    private static Trajectory? Type(TrajectoryReadResult read)
    {
        var turns = new List<Turn>(read.Turns.Count);
        foreach (var element in read.Turns)
        {
            if (!TurnParser.TryParse(element, out var turn, out _))
            {
                return null;
            }

            turns.Add(turn!);
        }

        return new Trajectory(turns);
    }
}
