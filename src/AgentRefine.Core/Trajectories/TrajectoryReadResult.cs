using System.Text.Json;

namespace AgentRefine.Trajectories;

/// <summary>
/// What <see cref="TrajectoryReader"/> salvaged from a text: the well-formed turn values in order
/// and, when the JSON broke (malformed, truncated, past a limit), the index of the turn where it
/// broke and why. Turn values are checked for keys and types later, by the verifier.
/// </summary>
public sealed class TrajectoryReadResult
{
    private TrajectoryReadResult(IReadOnlyList<JsonElement> turns, string? error)
    {
        Turns = turns;
        Error = error;
    }

    /// <summary>The JSON values read whole, before any break.</summary>
    public IReadOnlyList<JsonElement> Turns { get; }

    /// <summary>Why reading stopped early (with line, position or limit); <see langword="null"/> when the JSON was whole.</summary>
    public string? Error { get; }

    /// <summary>The 0-based index of the turn where the JSON broke (= the number of turns salvaged); <see langword="null"/> when whole.</summary>
    public int? BreakIndex => Error is null ? null : Turns.Count;

    /// <summary>Whether the JSON was read whole.</summary>
    public bool IsComplete => Error is null;

    /// <summary>A whole read of <paramref name="turns"/>.</summary>
    /// <param name="turns">The turn values.</param>
    /// <returns>The result.</returns>
    public static TrajectoryReadResult Complete(IReadOnlyList<JsonElement> turns)
    {
        ArgumentNullException.ThrowIfNull(turns);
        return new TrajectoryReadResult(turns, null);
    }

    /// <summary>A read that broke after <paramref name="turns"/>.</summary>
    /// <param name="turns">The turn values salvaged before the break.</param>
    /// <param name="error">Why it broke.</param>
    /// <returns>The result.</returns>
    public static TrajectoryReadResult Broken(IReadOnlyList<JsonElement> turns, string error)
    {
        ArgumentNullException.ThrowIfNull(turns);
        ArgumentException.ThrowIfNullOrWhiteSpace(error);
        return new TrajectoryReadResult(turns, error);
    }

    /// <summary>A whole read holding typed turns, written canonically.</summary>
    /// <param name="turns">The turns.</param>
    /// <returns>The result.</returns>
    public static TrajectoryReadResult FromTurns(IEnumerable<Turn> turns)
    {
        ArgumentNullException.ThrowIfNull(turns);
        return new TrajectoryReadResult(turns.Select(ToElement).ToArray(), null);
    }

    /// <summary>
    /// The whole trajectory of a continuation: <paramref name="prefix"/> (the verified turns sent to
    /// the model) followed by this result's turns (what the model returned), keeping this result's
    /// break, shifted by the prefix's length.
    /// </summary>
    /// <param name="prefix">The verified prefix.</param>
    /// <returns>The combined result.</returns>
    public TrajectoryReadResult After(IEnumerable<Turn> prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        var combined = prefix.Select(ToElement).Concat(Turns).ToArray();
        return new TrajectoryReadResult(combined, Error);
    }

    private static JsonElement ToElement(Turn turn)
    {
        using var document = JsonDocument.Parse(turn.ToJson());
        return document.RootElement.Clone();
    }
}
