using AgentRefine.Json;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace AgentRefine.Trajectories;

/// <summary>One turn of a trajectory: a <see cref="DmTurn"/> or a <see cref="PlayerTurn"/>.</summary>
[JsonConverter(typeof(TurnJsonConverter<Turn>))]
public abstract record Turn
{
    /// <summary>The JSON key of the turn number.</summary>
    public const string TurnKey = "turn";

    /// <summary>The JSON key of the role.</summary>
    public const string RoleKey = "role";

    /// <summary>The JSON key of the thought.</summary>
    public const string ThoughtKey = "Thought";

    private protected Turn(int number, string thought)
    {
        ArgumentNullException.ThrowIfNull(thought);
        Number = number;
        Thought = thought;
    }

    /// <summary>The turn number (JSON <c>turn</c>).</summary>
    public int Number { get; init; }

    /// <summary>The speaker's reasoning (JSON <c>Thought</c>).</summary>
    public string Thought { get; init; }

    /// <summary>Who speaks.</summary>
    public abstract TurnRole Role { get; }

    /// <summary>Writes the turn as one JSON object with the canonical keys in the canonical order.</summary>
    /// <param name="writer">The destination.</param>
    public abstract void WriteTo(Utf8JsonWriter writer);

    /// <summary>The canonical JSON text of the turn.</summary>
    /// <returns>The JSON text.</returns>
    public string ToJson() => CanonicalJson.Write(WriteTo, indented: false);

    /// <summary>Writes the keys every turn has: <c>turn</c>, <c>role</c>, <c>Thought</c>.</summary>
    private protected void WriteCommon(Utf8JsonWriter writer, string role)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteNumber(TurnKey, Number);
        writer.WriteString(RoleKey, role);
        writer.WriteString(ThoughtKey, Thought);
    }
}
