using System.Text.Json;
using AgentRefine.Scripts;
using AgentRefine.Trajectories;

namespace AgentRefine.Synthesis;

/// <summary>
/// A synthesis record as read back from a JSON Lines file: its id and status, and its script and
/// trajectory as read results, so that they can be verified again before use (the trajectory's turns
/// are kept as JSON values for the verifier's strict key check).
/// </summary>
public sealed class StoredRecord
{
    /// <summary>Where the record was read, as <c>file:line</c>.</summary>
    public required string Source { get; init; }

    /// <summary>The record id.</summary>
    public required string Id { get; init; }

    /// <summary>The status as written (<c>accepted</c> or <c>rejected</c>).</summary>
    public required string Status { get; init; }

    /// <summary>Why a rejected record was rejected (its <c>reason</c> field), if present.</summary>
    public string? Reason { get; init; }

    /// <summary>The persona text, if present.</summary>
    public string? Persona { get; init; }

    /// <summary>The script as read.</summary>
    public required ScriptReadResult Script { get; init; }

    /// <summary>The trajectory's turns as read (empty when the record has none).</summary>
    public required TrajectoryReadResult Trajectory { get; init; }

    /// <summary>The record's provenance object, if present.</summary>
    public JsonElement? Provenance { get; init; }

    /// <summary>Whether the record says it was accepted.</summary>
    public bool IsAccepted => string.Equals(Status, "accepted", StringComparison.Ordinal);
}
