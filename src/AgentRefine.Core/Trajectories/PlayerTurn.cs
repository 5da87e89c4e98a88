using System.Text.Json;
using System.Text.Json.Serialization;

namespace AgentRefine.Trajectories;

/// <summary>A Player turn in ReAct form: a thought, then one action.</summary>
/// <param name="Number">The turn number.</param>
/// <param name="Thought">The player's reasoning.</param>
/// <param name="Action">The action string, which must match one of the script's actions.</param>
[JsonConverter(typeof(TurnJsonConverter<PlayerTurn>))]
public sealed record PlayerTurn(int Number, string Thought, string Action) : Turn(Number, Thought)
{
    /// <summary>The role string in JSON.</summary>
    public const string RoleName = "Player";

    /// <summary>The JSON key of the action.</summary>
    public const string ActionKey = "Action";

    /// <summary>The action string.</summary>
    public string Action { get; init; } = Action ?? throw new ArgumentNullException(nameof(Action));

    /// <inheritdoc />
    public override TurnRole Role => TurnRole.Player;

    /// <inheritdoc />
    public override void WriteTo(Utf8JsonWriter writer)
    {
        WriteCommon(writer, RoleName);
        writer.WriteString(ActionKey, Action);
        writer.WriteEndObject();
    }
}
