using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AgentRefine.Environments;

/// <summary>The AgentGym families this library knows, and the common protocol for any other name.</summary>
internal static class AgentGymFamilies
{
    private static readonly Dictionary<string, AgentGymFamily> Known = new AgentGymFamily[]
    {
        new()
        {
            // agentenv-babyai: reset {id, data_idx}; answers {observation, reward, score, done}; the observation
            // starts "Your goal: ..." and ends with "Available actions: [...]" (a JSON list). Its "score" adds up
            // the rewards of every step, so the progress is "reward" (the running share of the level's subgoals).
            Name = "babyai",
            Goal = (_, observation) => AgentGymFamily.After(observation, "Your goal: ") ?? AgentGymFamily.FirstLine(observation),
            CleanAction = AlphanumericAction,
            AvailableActions = (_, observation) => BracketList(observation, "Available actions: "),
            Progress = answer => AgentGymFamily.Number(answer, "reward"),
            Success = (_, _, done) => done,
            Instruction = "You are in a grid-world room and must reach the goal you are given. Every turn you see what is around you; answer with your thought and one action.\n\n"
                + "Actions:\n- turn right\n- turn left\n- move forward\n- go to <obj> <id>\n- pick up <obj> <id>\n- go through <door> <id>: the door must be open\n- toggle and go through <door> <id>: for a closed or locked door (a locked door needs a key of its colour)\n- toggle: opens or unlocks the door right in front of you\n",
            Actions =
            [
                new("turn right"), new("turn left"), new("move forward"),
                new("go to <obj> <id>", "walk up to an object"),
                new("pick up <obj> <id>", "pick up an object"),
                new("go through <door> <id>", "the door must be open"),
                new("toggle and go through <door> <id>", "a closed or locked door; a locked one needs a key of its colour"),
                new("toggle", "open or unlock the door right in front of you"),
            ],
        },
        new()
        {
            // agentenv-alfworld: reset {id, game, world_type: "Text"}; answers {observation, available_actions, reward, done};
            // reward is 1 once the task is won. AgentGym's client shows the admissible commands after each observation.
            Name = "alfworld",
            ResetBody = index => new JsonObject { ["game"] = index, ["world_type"] = "Text" },
            FirstObservation = WithAdmissibleCommands,
            StepObservation = WithAdmissibleCommands,
            Goal = (_, observation) => AgentGymFamily.After(observation, "Your task is to: ") ?? AgentGymFamily.FirstLine(observation),
            CleanAction = AlfworldAction,
            AvailableActions = (answer, _) => StringList(answer, "available_actions"),
            RejectsAction = observation => observation.StartsWith("Nothing happen", StringComparison.Ordinal),
            Progress = answer => AgentGymFamily.Number(answer, "reward"),
            Success = (_, progress, _) => progress >= 1,
            Instruction = "You are in a household and must complete the task you are given. Every turn you see what happened and the actions you may take now; answer with your thought and one of those actions, written exactly as listed. \"Nothing happens.\" means the action did not work.\n",
            Actions =
            [
                new("go to {recep}"), new("take {obj} from {recep}"), new("put {obj} in/on {recep}"),
                new("open {recep}"), new("close {recep}"), new("toggle {obj}"),
                new("heat {obj} with {recep}"), new("cool {obj} with {recep}"), new("clean {obj} with {recep}"),
                new("examine {recep}"), new("use {obj}"), new("look"), new("inventory"),
            ],
        },
        new()
        {
            // agentenv-sciworld: reset {id, data_idx}; answers {task_description, observation, reward, score, done};
            // ScienceWorld's score runs 0..100 (negative when the task failed); success is a score of 100.
            Name = "sciworld",
            FirstObservation = (answer, observation) => (answer["task_description"]?.GetValueKind() == JsonValueKind.String ? answer["task_description"]!.GetValue<string>() + "\n" : string.Empty) + observation,
            Goal = (answer, observation) => answer["task_description"]?.GetValueKind() == JsonValueKind.String ? answer["task_description"]!.GetValue<string>().Trim() : AgentGymFamily.FirstLine(observation),
            RejectsAction = observation => observation.Contains("No known action matches that input", StringComparison.Ordinal),
            Progress = answer => AgentGymFamily.Number(answer, "score") is { } score ? score / 100 : null,
            Success = (answer, _, _) => AgentGymFamily.Number(answer, "score") >= 100,
            Instruction = "You are in a science-lab world and must complete the task you are given. Every turn you see what happened; answer with your thought and one action. OBJ and LOC stand for objects and places you can see.\n",
            Actions =
            [
                new("open OBJ"), new("close OBJ"), new("activate OBJ"), new("deactivate OBJ"),
                new("connect OBJ to OBJ"), new("disconnect OBJ"), new("use OBJ [on OBJ]"),
                new("look around"), new("look at OBJ"), new("look in OBJ"), new("read OBJ"),
                new("move OBJ to OBJ"), new("pick up OBJ"), new("put down OBJ"), new("pour OBJ into OBJ"),
                new("dunk OBJ into OBJ"), new("mix OBJ"), new("go to LOC"), new("eat OBJ"), new("flush OBJ"),
                new("focus on OBJ", "say which object the task is about"), new("wait", "wait 10 steps"), new("wait1", "wait 1 step"),
                new("examine OBJ"), new("task", "show the task again"), new("inventory"),
            ],
        },
        new()
        {
            // agentenv-textcraft: create takes a JSON body; reset {id, data_idx}; answers {observation, reward, done};
            // reward is 1 once the target item is crafted.
            Name = "textcraft",
            Goal = (_, observation) => AgentGymFamily.After(observation, "Goal: ") ?? AgentGymFamily.FirstLine(observation),
            CleanAction = AlphanumericAction,
            RejectsAction = observation => observation.StartsWith("Could not", StringComparison.Ordinal),
            Progress = answer => AgentGymFamily.Number(answer, "reward"),
            Success = (_, progress, _) => progress >= 1,
            Instruction = "You craft Minecraft items with the crafting commands you are given. Every turn you see what happened; answer with your thought and one action. Always give quantities, and do not say where an item comes from when you get it.\n",
            Actions =
            [
                new("get <count> <item>", "take an ingredient from the inventory or the world"),
                new("craft <count> <item> using <count> <ingredient>, ...", "use one of the given crafting commands"),
                new("inventory", "show what you carry"),
            ],
        },
        new()
        {
            // agentenv-webshop: create answers a bare id; requests key it as env_idx; reset {env_idx, session_id},
            // then GET /observation; step answers {state, reward, done, info}; reward is the purchase's score.
            Name = "webshop",
            IdKey = "env_idx",
            ResetBody = index => new JsonObject { ["session_id"] = index },
            ObserveAfterReset = true,
            ObservationKey = "state",
            Goal = (_, observation) => Between(observation, "Instruction: [SEP] ", " [SEP]") ?? AgentGymFamily.FirstLine(observation),
            RejectsAction = observation => observation.Contains("Invalid action", StringComparison.OrdinalIgnoreCase),
            Progress = answer => AgentGymFamily.Number(answer, "reward"),
            Success = (_, progress, _) => progress >= 1,
            Instruction = "You shop on a web store for the product the instruction describes. Every turn you see the page; answer with your thought and one action: search when a search box is shown, or click one of the buttons shown (in [brackets]).\n",
            Actions = [new("search[<keywords>]", "search the store"), new("click[<button>]", "click a button shown on the page")],
        },
    }.ToDictionary(f => f.Name, StringComparer.Ordinal);

    /// <summary>The known family names, in a fixed order.</summary>
    public static IReadOnlyList<string> Names { get; } = ["babyai", "alfworld", "sciworld", "textcraft", "webshop"];

    /// <summary>The family of a name; the common protocol (<c>{id, data_idx}</c>, <c>observation</c>, <c>score</c> else <c>reward</c>, success = done with progress 1) for any other.</summary>
    public static AgentGymFamily For(string name) =>
        Known.TryGetValue(name.ToLowerInvariant(), out var family) ? family : new AgentGymFamily
        {
            Name = name,
            Instruction = "You are in a text-based environment and must reach the goal you are given. Every turn you see what happened; answer with your thought and one action.\n",
        };

    /// <summary>Whether a family name is known.</summary>
    public static bool IsKnown(string name) => Known.ContainsKey(name.ToLowerInvariant());

    /// <summary>BabyAI and TextCraft: only letters, digits, commas and spaces are kept, runs of white space become one space.</summary>
    private static string AlphanumericAction(string action)
    {
        var kept = new StringBuilder(action.Length);
        foreach (var c in action)
        {
            kept.Append(char.IsAsciiLetterOrDigit(c) || c is ',' or ' ' ? c : ' ');
        }

        return string.Join(' ', kept.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>ALFWorld: the end-of-sequence mark and a trailing full stop are dropped, and a <c>put</c> action's <c> in </c> or <c> on </c> becomes <c> in/on </c> (AgentBoard's clean-up).</summary>
    private static string AlfworldAction(string action)
    {
        var text = AgentGymFamily.StripEndOfSequence(action).Trim().TrimEnd('.').Trim();
        if (text.Contains("put", StringComparison.Ordinal) && !text.Contains(" in/on ", StringComparison.Ordinal))
        {
            text = text.Replace(" in ", " in/on ", StringComparison.Ordinal).Replace(" on ", " in/on ", StringComparison.Ordinal);
        }

        return text;
    }

    private static string WithAdmissibleCommands(JsonObject answer, string observation) =>
        StringList(answer, "available_actions") is { Length: > 0 } actions ? $"{observation}\nAVAILABLE ACTIONS: {string.Join(',', actions)}" : observation;

    private static string[]? StringList(JsonObject answer, string key) =>
        answer[key] is JsonArray array ? array.Select(item => item is JsonValue v && v.TryGetValue<string>(out var s) ? s : null).OfType<string>().ToArray() : null;

    /// <summary>The JSON list of strings after the last <paramref name="label"/> in a text, or <see langword="null"/>.</summary>
    private static string[]? BracketList(string text, string label)
    {
        var start = text.LastIndexOf(label, StringComparison.Ordinal);
        if (start < 0)
        {
            return null;
        }

        var open = start + label.Length;
        var close = text.IndexOf(']', open);
        if (open >= text.Length || text[open] != '[' || close < 0)
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(text.AsSpan(open, close - open + 1).ToString()) is JsonArray array
                ? array.Select(item => item is JsonValue v && v.TryGetValue<string>(out var s) ? s : null).OfType<string>().ToArray()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Between(string text, string open, string close)
    {
        var start = text.IndexOf(open, StringComparison.Ordinal);
        if (start < 0)
        {
            return null;
        }

        start += open.Length;
        var end = text.IndexOf(close, start, StringComparison.Ordinal);
        var value = (end < 0 ? text[start..] : text[start..end]).Trim();
        return value.Length == 0 ? null : value;
    }
}
