using System.Text.Json.Nodes;

namespace AgentRefine.Environments;

/// <summary>
/// One AgentGym environment family's protocol variant and client rules, as AgentGym's own client for
/// it (<c>agentenv/envs/&lt;family&gt;.py</c>) and its server (<c>agentenv-&lt;family&gt;/…/server.py</c>)
/// define them: the reset body, where the observation and score are, the action clean-up, how the goal
/// is found in the first observation, what makes an action invalid, and the success rule. The
/// instruction texts are this library's own wording of each family's rules.
/// </summary>
internal sealed class AgentGymFamily
{
    public required string Name { get; init; }

    /// <summary>The key of the environment id in request bodies and queries (<c>id</c>; WebShop: <c>env_idx</c>).</summary>
    public string IdKey { get; init; } = "id";

    /// <summary>The reset body besides the id.</summary>
    public Func<long, JsonObject> ResetBody { get; init; } = index => new JsonObject { ["data_idx"] = index };

    /// <summary>Whether the first observation comes from <c>GET /observation</c> after the reset (WebShop) instead of the reset's answer.</summary>
    public bool ObserveAfterReset { get; init; }

    /// <summary>The step answer's observation key (<c>observation</c>; WebShop: <c>state</c>).</summary>
    public string ObservationKey { get; init; } = "observation";

    /// <summary>The first observation shown to the agent, from the reset answer and its observation.</summary>
    public Func<JsonObject, string, string> FirstObservation { get; init; } = (_, observation) => observation;

    /// <summary>The observation shown after a step, from the step answer and its observation.</summary>
    public Func<JsonObject, string, string> StepObservation { get; init; } = (_, observation) => observation;

    /// <summary>The goal, from the reset answer and the first observation.</summary>
    public Func<JsonObject, string, string> Goal { get; init; } = (_, observation) => FirstLine(observation);

    /// <summary>The action clean-up before the server sees it.</summary>
    public Func<string, string> CleanAction { get; init; } = action => StripEndOfSequence(action).Trim();

    /// <summary>The admissible actions an answer lists (for grounding), or <see langword="null"/> when it lists none.</summary>
    public Func<JsonObject, string, IReadOnlyList<string>?> AvailableActions { get; init; } = (_, _) => null;

    /// <summary>Whether an observation says the action was not understood.</summary>
    public Func<string, bool> RejectsAction { get; init; } = _ => false;

    /// <summary>The progress in [0, 1] from a step answer (before clamping).</summary>
    public Func<JsonObject, double?> Progress { get; init; } = answer => Number(answer, "score") ?? Number(answer, "reward");

    /// <summary>The success rule from the step answer, its progress and done flag.</summary>
    public Func<JsonObject, double?, bool, bool?> Success { get; init; } = (_, progress, done) => done && progress >= 1;

    /// <summary>The instruction (this library's wording).</summary>
    public required string Instruction { get; init; }

    /// <summary>The actions.</summary>
    public IReadOnlyList<EnvironmentAction> Actions { get; init; } = [];

    public static double? Number(JsonObject answer, string key) =>
        answer.TryGetPropertyValue(key, out var node) && node is JsonValue value && value.TryGetValue<double>(out var number) && double.IsFinite(number) ? number
        : answer.TryGetPropertyValue(key, out node) && node is JsonValue boolean && boolean.TryGetValue<bool>(out var flag) ? (flag ? 1 : 0)
        : null;

    public static string FirstLine(string text)
    {
        var trimmed = text.Trim();
        var end = trimmed.IndexOf('\n', StringComparison.Ordinal);
        return end < 0 ? trimmed : trimmed[..end].Trim();
    }

    /// <summary>The text after <paramref name="label"/> to the end of its line, or <see langword="null"/>.</summary>
    public static string? After(string text, string label)
    {
        var start = text.IndexOf(label, StringComparison.Ordinal);
        if (start < 0)
        {
            return null;
        }

        start += label.Length;
        var end = text.IndexOf('\n', start);
        var value = (end < 0 ? text[start..] : text[start..end]).Trim();
        return value.Length == 0 ? null : value;
    }

    /// <summary>Drops a trailing <c>&lt;/s&gt;</c> end-of-sequence mark, as AgentGym's clients do.</summary>
    public static string StripEndOfSequence(string action) => action.EndsWith("</s>", StringComparison.Ordinal) ? action[..^4] : action;
}
