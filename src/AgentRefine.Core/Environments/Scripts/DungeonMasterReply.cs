using System.Text;
using System.Text.Json;
using AgentRefine.Json;

namespace AgentRefine.Environments;

/// <summary>One Dungeon Master turn as the live DM answers it: the paper's DM keys plus the completion conditions that hold now.</summary>
internal sealed record DungeonMasterReply(string Thought, string Observation, bool ParameterError, bool PlaceError, bool LogicError, bool TaskCompleted, IReadOnlyList<int> ConditionsMet)
{
    public bool HasError => ParameterError || PlaceError || LogicError;

    /// <summary>
    /// Reads a reply strictly: the first JSON object of the text (in a code fence or not) with a string
    /// <c>Thought</c>, a non-empty string <c>Observation</c>, the four boolean flags and
    /// <c>conditions_met</c>, a list of distinct condition numbers 1..<paramref name="conditions"/>. Never
    /// throws for any text: a problem is returned instead, worded for the DM's retry.
    /// </summary>
    public static DungeonMasterReply? Parse(string text, int conditions, JsonReadLimits limits, out string? problem)
    {
        problem = null;
        if (text.Length > limits.MaxInputChars)
        {
            problem = $"the reply is longer than {limits.MaxInputChars} characters";
            return null;
        }

        var start = LlmJsonText.FindJsonStart(text, "{");
        if (start < 0)
        {
            problem = "the reply holds no JSON object";
            return null;
        }

        JsonElement root;
        try
        {
            var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(text[start..]), new JsonReaderOptions { MaxDepth = limits.MaxDepth, AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
            using var document = JsonDocument.ParseValue(ref reader);
            root = document.RootElement.Clone();
        }
        catch (JsonException exception)
        {
            problem = $"the reply is not valid JSON ({LlmJsonText.ShortMessage(exception)})";
            return null;
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            problem = "the reply is not a JSON object";
            return null;
        }

        var thought = String(root, "Thought", ref problem);
        var observation = String(root, "Observation", ref problem);
        var parameter = Boolean(root, "parameter_error", ref problem);
        var place = Boolean(root, "place_error", ref problem);
        var logic = Boolean(root, "logic_error", ref problem);
        var completed = Boolean(root, "task_completed", ref problem);
        var met = Conditions(root, conditions, ref problem);
        if (problem is null && string.IsNullOrWhiteSpace(observation))
        {
            problem = "\"Observation\" is empty";
        }

        return problem is null ? new DungeonMasterReply(thought!, observation!.Trim(), parameter, place, logic, completed, met!) : null;
    }

    private static string? String(JsonElement root, string key, ref string? problem)
    {
        if (root.TryGetProperty(key, out var value) && value.ValueKind == JsonValueKind.String)
        {
            return value.GetString();
        }

        problem ??= $"\"{key}\" is missing or not a string";
        return null;
    }

    private static bool Boolean(JsonElement root, string key, ref string? problem)
    {
        if (root.TryGetProperty(key, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return value.GetBoolean();
        }

        problem ??= $"\"{key}\" is missing or not true/false";
        return false;
    }

    private static int[]? Conditions(JsonElement root, int count, ref string? problem)
    {
        if (!root.TryGetProperty("conditions_met", out var value) || value.ValueKind != JsonValueKind.Array)
        {
            problem ??= "\"conditions_met\" is missing or not a list";
            return null;
        }

        var met = new SortedSet<int>();
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt32(out var number) || number < 1 || number > count)
            {
                problem ??= $"\"conditions_met\" must list condition numbers from 1 to {count}, found {Quote(item.GetRawText())}";
                return null;
            }

            met.Add(number);
        }

        return [.. met];
    }

    private static string Quote(string text) => text.Length > 40 ? text[..40] + "…" : text;
}
