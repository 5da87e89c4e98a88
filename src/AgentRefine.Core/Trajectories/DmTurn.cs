using System.Text.Json;
using System.Text.Json.Serialization;

namespace AgentRefine.Trajectories;

/// <summary>
/// A Dungeon Master turn: its thought, what the player observes, whether the player's last action
/// had a parameter, place or logic error, and whether the task is completed.
/// </summary>
/// <param name="Number">The turn number.</param>
/// <param name="Thought">The DM's reasoning (never shown to the trained model).</param>
/// <param name="Observation">What the player sees.</param>
/// <param name="ParameterError">The last action's format or parameters were invalid.</param>
/// <param name="PlaceError">The last action was valid but not possible where the player is.</param>
/// <param name="LogicError">The last action was possible but does not make sense for the task.</param>
/// <param name="TaskCompleted">The DM judges the completion conditions met.</param>
[JsonConverter(typeof(TurnJsonConverter<DmTurn>))]
public sealed record DmTurn(
    int Number,
    string Thought,
    string Observation,
    bool ParameterError = false,
    bool PlaceError = false,
    bool LogicError = false,
    bool TaskCompleted = false) : Turn(Number, Thought)
{
    /// <summary>The role string in JSON.</summary>
    public const string RoleName = "DM";

    /// <summary>The JSON key of the observation.</summary>
    public const string ObservationKey = "Observation";

    /// <summary>The JSON key of the parameter-error flag.</summary>
    public const string ParameterErrorKey = "parameter_error";

    /// <summary>The JSON key of the place-error flag.</summary>
    public const string PlaceErrorKey = "place_error";

    /// <summary>The JSON key of the logic-error flag.</summary>
    public const string LogicErrorKey = "logic_error";

    /// <summary>The JSON key of the completion flag.</summary>
    public const string TaskCompletedKey = "task_completed";

    /// <summary>What the player sees.</summary>
    public string Observation { get; init; } = Observation ?? throw new ArgumentNullException(nameof(Observation));

    /// <inheritdoc />
    public override TurnRole Role => TurnRole.DM;

    /// <summary>The JSON keys of the three error flags, in order.</summary>
    public static IReadOnlyList<string> ErrorFlagKeys { get; } = [ParameterErrorKey, PlaceErrorKey, LogicErrorKey];

    /// <summary>Whether any error flag is set: the player's previous action was a mistake.</summary>
    public bool HasError => ParameterError || PlaceError || LogicError;

    /// <summary>The keys of the error flags that are set, in the order of <see cref="ErrorFlagKeys"/>.</summary>
    public IReadOnlyList<string> ErrorTypes => !HasError ? [] : ErrorFlagKeys.Where((_, i) => i switch
    {
        0 => ParameterError,
        1 => PlaceError,
        _ => LogicError,
    }).ToArray();

    /// <inheritdoc />
    public override void WriteTo(Utf8JsonWriter writer)
    {
        WriteCommon(writer, RoleName);
        writer.WriteString(ObservationKey, Observation);
        writer.WriteBoolean(ParameterErrorKey, ParameterError);
        writer.WriteBoolean(PlaceErrorKey, PlaceError);
        writer.WriteBoolean(LogicErrorKey, LogicError);
        writer.WriteBoolean(TaskCompletedKey, TaskCompleted);
        writer.WriteEndObject();
    }
}
