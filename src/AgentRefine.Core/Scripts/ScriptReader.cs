using AgentRefine.Json;
using System.Text.Json;

namespace AgentRefine.Scripts;

/// <summary>
/// Reads a script from a model's reply or a file, tolerantly where that is safe: prose and a
/// Markdown code fence around the JSON, comments and trailing commas, and key variants that differ
/// only in case, spaces, underscores or hyphens (<c>verification_code</c>, <c>Verification Code</c>,
/// <c>completion conditions</c>). Values of the wrong type are read as absent, so the verifier
/// reports them; a single string where a list is expected is read as a one-item list, and numbers
/// and booleans among parameter values as their JSON text.
/// </summary>
public static class ScriptReader
{
    /// <summary>Reads a script from text.</summary>
    /// <param name="text">The text: a JSON object, possibly inside a code fence or after prose.</param>
    /// <param name="limits">Size limits; <see cref="JsonReadLimits.Default"/> when <see langword="null"/>.</param>
    /// <returns>The script, or the reason there is none (with its line).</returns>
    public static ScriptReadResult Read(string text, JsonReadLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        limits ??= JsonReadLimits.Shared;
        if (limits.InputLengthError(text) is { } tooLong)
        {
            return ScriptReadResult.Failed(tooLong);
        }

        var start = LlmJsonText.FindJsonStart(text, "{[");
        if (start < 0)
        {
            return ScriptReadResult.Failed("the text holds no JSON object");
        }

        var bytes = LlmJsonText.ToUtf8(text.AsSpan(start));
        var reader = new Utf8JsonReader(bytes, LlmJsonText.ReaderOptions(limits, allowMultipleValues: true));
        try
        {
            using var document = JsonDocument.ParseValue(ref reader);
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? FromJson(document.RootElement, limits)
                : ScriptReadResult.Failed($"the JSON at line {LlmJsonText.LineOf(text, start)} is {LlmJsonText.KindName(document.RootElement.ValueKind)}, not an object");
        }
        catch (JsonException exception)
        {
            return ScriptReadResult.Failed(LlmJsonText.Describe(exception, text, start));
        }
    }

    /// <summary>Reads a script from a parsed JSON value.</summary>
    /// <param name="root">The value; a script must be an object.</param>
    /// <param name="limits">Size limits; <see cref="JsonReadLimits.Default"/> when <see langword="null"/>.</param>
    /// <returns>The script, or the reason there is none.</returns>
    public static ScriptReadResult FromJson(JsonElement root, JsonReadLimits? limits = null)
    {
        limits ??= JsonReadLimits.Shared;
        if (root.ValueKind != JsonValueKind.Object)
        {
            return ScriptReadResult.Failed($"the JSON is {LlmJsonText.KindName(root.ValueKind)}, not an object");
        }

        JsonElement? environment = null;
        string? goal = null;
        IReadOnlyList<string>? conditions = null;
        IReadOnlyList<ScriptAction>? actions = null;
        foreach (var property in root.EnumerateObject())
        {
            switch (Normalize(property.Name))
            {
                case "environment" when environment is null:
                    environment = property.Value;
                    break;
                case "goal" when goal is null:
                    goal = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : null;
                    break;
                case "completionconditions" when conditions is null:
                    conditions = ReadStrings(property.Value);
                    break;
                case "availableactions" or "actions" when actions is null:
                    try
                    {
                        actions = ReadActions(property.Value, limits);
                    }
                    catch (LimitExceededException exception)
                    {
                        return ScriptReadResult.Failed(exception.Message);
                    }

                    break;
                default:
                    break;
            }
        }

        return ScriptReadResult.FromScript(new Script(goal, conditions, actions, environment));
    }

    /// <summary>Lower-cases a key and drops spaces, underscores and hyphens.</summary>
    internal static string Normalize(string key)
    {
        Span<char> buffer = key.Length <= 64 ? stackalloc char[key.Length] : new char[key.Length];
        var length = 0;
        foreach (var c in key)
        {
            if (c is not (' ' or '_' or '-' or '\t'))
            {
                buffer[length++] = char.ToLowerInvariant(c);
            }
        }

        return new string(buffer[..length]);
    }

    private static List<ScriptAction> ReadActions(JsonElement value, JsonReadLimits limits)
    {
        var actions = new List<ScriptAction>();
        if (value.ValueKind == JsonValueKind.Object)
        {
            foreach (var entry in value.EnumerateObject())
            {
                CheckActionCount(actions, limits);

                actions.Add(ReadAction(entry.Name, entry.Value, limits));
            }
        }
        else if (value.ValueKind == JsonValueKind.Array)
        {
            // Tolerated: [{"action": "cd {path}", "verification code": ..., "parameters": ...}, ...]
            foreach (var item in value.EnumerateArray())
            {
                CheckActionCount(actions, limits);

                if (item.ValueKind == JsonValueKind.Object && FindString(item, "action", "template", "name") is { } template)
                {
                    actions.Add(ReadAction(template, item, limits));
                }
            }
        }

        return actions;
    }

    private static void CheckActionCount(List<ScriptAction> actions, JsonReadLimits limits)
    {
        if (actions.Count == limits.MaxActions)
        {
            throw new LimitExceededException($"'Available Actions' has more than {limits.MaxActions:N0} actions (JsonReadLimits.MaxActions)");
        }
    }

    private static ScriptAction ReadAction(string template, JsonElement value, JsonReadLimits limits)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            return new ScriptAction(template, null);
        }

        string? code = null;
        string? description = null;
        List<ScriptParameter>? parameters = null;
        var sawCode = false;
        var sawDescription = false;
        foreach (var property in value.EnumerateObject())
        {
            switch (Normalize(property.Name))
            {
                case "verificationcode" or "verification" or "regex" when !sawCode:
                    sawCode = true;
                    code = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : null;
                    break;
                case "description" when !sawDescription:
                    sawDescription = true;
                    description = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : null;
                    break;
                case "parameters" or "params" when parameters is null:
                    parameters = [];
                    if (property.Value.ValueKind == JsonValueKind.Object)
                    {
                        foreach (var parameter in property.Value.EnumerateObject())
                        {
                            if (parameter.Value.ValueKind == JsonValueKind.Array && parameter.Value.GetArrayLength() > limits.MaxValuesPerParameter)
                            {
                                throw new LimitExceededException($"parameter '{parameter.Name}' of action '{template}' has more than {limits.MaxValuesPerParameter:N0} values (JsonReadLimits.MaxValuesPerParameter)");
                            }

                            parameters.Add(new ScriptParameter(parameter.Name.Trim(), ReadStrings(parameter.Value)));
                        }
                    }

                    break;
                default:
                    break;
            }
        }

        return new ScriptAction(template, code, parameters, description);
    }

    /// <summary>A list of strings: strings kept, numbers and booleans as their JSON text, a lone scalar as a one-item list, anything else dropped.</summary>
    private static List<string> ReadStrings(JsonElement value)
    {
        var list = new List<string>();
        if (value.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in value.EnumerateArray())
            {
                if (ScalarText(item) is { } text)
                {
                    list.Add(text);
                }
            }
        }
        else if (ScalarText(value) is { } single)
        {
            list.Add(single);
        }

        return list;
    }

    private static string? ScalarText(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
        _ => null,
    };

    private static string? FindString(JsonElement item, params ReadOnlySpan<string> normalizedKeys)
    {
        foreach (var property in item.EnumerateObject())
        {
            var key = Normalize(property.Name);
            foreach (var wanted in normalizedKeys)
            {
                if (key == wanted && property.Value.ValueKind == JsonValueKind.String)
                {
                    return property.Value.GetString();
                }
            }
        }

        return null;
    }

    private sealed class LimitExceededException(string message) : Exception(message);
}
