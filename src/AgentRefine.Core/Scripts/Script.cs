using AgentRefine.Json;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace AgentRefine.Scripts;

/// <summary>
/// An AgentRefine script: the hidden <c>Environment</c> (free-form JSON only the Dungeon Master sees),
/// the <c>Goal</c>, the <c>Completion Conditions</c> and the <c>Available Actions</c>, in the paper's
/// key spelling. Instances are immutable. Values the reader found missing or of the wrong type are
/// empty here, and the verifier reports them.
/// </summary>
[JsonConverter(typeof(ScriptJsonConverter))]
public sealed class Script
{
    /// <summary>The canonical key of the environment.</summary>
    public const string EnvironmentKey = "Environment";

    /// <summary>The canonical key of the goal.</summary>
    public const string GoalKey = "Goal";

    /// <summary>The canonical key of the completion conditions.</summary>
    public const string CompletionConditionsKey = "Completion Conditions";

    /// <summary>The canonical key of the available actions.</summary>
    public const string AvailableActionsKey = "Available Actions";

    /// <summary>The canonical key of an action's regular expression.</summary>
    public const string VerificationCodeKey = "verification code";

    /// <summary>The canonical key of an action's parameters.</summary>
    public const string ParametersKey = "parameters";

    /// <summary>The canonical key of an action's description.</summary>
    public const string DescriptionKey = "description";

    /// <summary>Creates a script.</summary>
    /// <param name="goal">The goal, or <see langword="null"/> when absent.</param>
    /// <param name="completionConditions">The completion conditions.</param>
    /// <param name="availableActions">The actions, in the script's order.</param>
    /// <param name="environment">The hidden environment, any JSON value; <see langword="null"/> when absent.</param>
    public Script(string? goal, IReadOnlyList<string>? completionConditions, IReadOnlyList<ScriptAction>? availableActions, JsonElement? environment = null)
    {
        Goal = goal;
        CompletionConditions = completionConditions ?? [];
        AvailableActions = availableActions ?? [];
        Environment = environment is { ValueKind: not JsonValueKind.Undefined } e ? e.Clone() : null;
    }

    /// <summary>The hidden environment, preserved exactly as read (key order, number text, nesting).</summary>
    public JsonElement? Environment { get; }

    /// <summary>The goal the player must reach; <see langword="null"/> when missing or not a string.</summary>
    public string? Goal { get; }

    /// <summary>The conditions under which the Dungeon Master declares the task completed.</summary>
    public IReadOnlyList<string> CompletionConditions { get; }

    /// <summary>The available actions, in the script's order.</summary>
    public IReadOnlyList<ScriptAction> AvailableActions { get; }

    /// <summary>Writes the script as one JSON object in the canonical key spelling and order.</summary>
    /// <param name="writer">The destination.</param>
    public void WriteTo(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        if (Environment is { } environment)
        {
            writer.WritePropertyName(EnvironmentKey);
            environment.WriteTo(writer);
        }

        if (Goal is not null)
        {
            writer.WriteString(GoalKey, Goal);
        }

        writer.WriteStartArray(CompletionConditionsKey);
        foreach (var condition in CompletionConditions)
        {
            writer.WriteStringValue(condition);
        }

        writer.WriteEndArray();
        writer.WriteStartObject(AvailableActionsKey);
        foreach (var action in AvailableActions)
        {
            writer.WriteStartObject(action.Template);
            if (action.Description is not null)
            {
                writer.WriteString(DescriptionKey, action.Description);
            }

            writer.WriteString(VerificationCodeKey, action.VerificationCode);
            writer.WriteStartObject(ParametersKey);
            foreach (var parameter in action.Parameters)
            {
                writer.WriteStartArray(parameter.Name);
                foreach (var value in parameter.Values)
                {
                    writer.WriteStringValue(value);
                }

                writer.WriteEndArray();
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary>The canonical JSON text of the script.</summary>
    /// <param name="indented">Whether to indent the output.</param>
    /// <returns>The JSON text.</returns>
    public string ToJson(bool indented = false) => CanonicalJson.Write(WriteTo, indented);

    /// <summary>Reads a script from a model's reply or a file's text; see <see cref="ScriptReader.Read"/>.</summary>
    /// <param name="text">The text.</param>
    /// <param name="limits">Size limits; <see cref="JsonReadLimits.Default"/> when <see langword="null"/>.</param>
    /// <returns>The script.</returns>
    /// <exception cref="FormatException">The text holds no JSON object, or it is past the limits.</exception>
    public static Script Parse(string text, JsonReadLimits? limits = null)
    {
        var result = ScriptReader.Read(text, limits);
        return result.Script ?? throw new FormatException($"Not an AgentRefine script: {result.Error}");
    }
}
