using AgentRefine.Json;
using System.Collections;
using System.Text.Json;

namespace AgentRefine.Trajectories;

/// <summary>An ordered list of turns: the DM opens, then Player and DM alternate.</summary>
public sealed class Trajectory : IReadOnlyList<Turn>
{
    private readonly Turn[] _turns;

    /// <summary>Creates a trajectory from turns, in order.</summary>
    /// <param name="turns">The turns.</param>
    public Trajectory(IEnumerable<Turn> turns)
    {
        ArgumentNullException.ThrowIfNull(turns);
        _turns = turns.ToArray();
        for (var i = 0; i < _turns.Length; i++)
        {
            if (_turns[i] is null)
            {
                throw new ArgumentException($"Turn {i} is null.", nameof(turns));
            }
        }
    }

    /// <summary>An empty trajectory.</summary>
    public static Trajectory Empty { get; } = new([]);

    /// <inheritdoc />
    public int Count => _turns.Length;

    /// <inheritdoc />
    public Turn this[int index] => _turns[index];

    /// <inheritdoc />
    public IEnumerator<Turn> GetEnumerator() => ((IEnumerable<Turn>)_turns).GetEnumerator();

    /// <inheritdoc />
    IEnumerator IEnumerable.GetEnumerator() => _turns.GetEnumerator();

    /// <summary>Writes the trajectory as a JSON array of canonical turn objects.</summary>
    /// <param name="writer">The destination.</param>
    public void WriteTo(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartArray();
        foreach (var turn in _turns)
        {
            turn.WriteTo(writer);
        }

        writer.WriteEndArray();
    }

    /// <summary>The canonical JSON text of the trajectory.</summary>
    /// <param name="indented">Whether to indent the output.</param>
    /// <returns>The JSON text.</returns>
    public string ToJson(bool indented = false) => CanonicalJson.Write(WriteTo, indented);

    /// <summary>
    /// Reads a whole, well-formed trajectory (tolerant about the text around the JSON, strict about
    /// every turn). Use <see cref="TrajectoryReader"/> and the verifier to handle model output that
    /// may be broken.
    /// </summary>
    /// <param name="text">The text.</param>
    /// <param name="limits">Size limits; <see cref="JsonReadLimits.Default"/> when <see langword="null"/>.</param>
    /// <returns>The trajectory.</returns>
    /// <exception cref="FormatException">The JSON is broken or a turn is malformed; the message names the turn index.</exception>
    public static Trajectory Parse(string text, JsonReadLimits? limits = null)
    {
        var read = TrajectoryReader.Read(text, limits);
        if (!read.IsComplete)
        {
            throw new FormatException($"The trajectory breaks at turn {read.BreakIndex}: {read.Error}");
        }

        var turns = new Turn[read.Turns.Count];
        for (var i = 0; i < turns.Length; i++)
        {
            if (!TurnParser.TryParse(read.Turns[i], out var turn, out var problem))
            {
                throw new FormatException($"Turn {i} is malformed: {problem}");
            }

            turns[i] = turn!;
        }

        return new Trajectory(turns);
    }
}
