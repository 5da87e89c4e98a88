using AgentRefine.Json;
using System.Text.Json;

namespace AgentRefine.Trajectories;

/// <summary>
/// The strict reading of one turn object: exactly the keys of its role, with the exact spelling and
/// JSON types (the paper's key-format rule). Problems are reported, never thrown.
/// </summary>
internal static class TurnParser
{
    private static readonly string[] DmKeys =
    [
        Turn.TurnKey, Turn.RoleKey, Turn.ThoughtKey, DmTurn.ObservationKey,
        DmTurn.ParameterErrorKey, DmTurn.PlaceErrorKey, DmTurn.LogicErrorKey, DmTurn.TaskCompletedKey,
    ];

    private static readonly string[] PlayerKeys = [Turn.TurnKey, Turn.RoleKey, Turn.ThoughtKey, PlayerTurn.ActionKey];

    private static readonly byte[][] DmKeysUtf8 = [.. DmKeys.Select(System.Text.Encoding.UTF8.GetBytes)];

    private static readonly byte[][] PlayerKeysUtf8 = [.. PlayerKeys.Select(System.Text.Encoding.UTF8.GetBytes)];

    /// <summary>Reads one turn strictly.</summary>
    /// <param name="element">The JSON value of the turn.</param>
    /// <param name="turn">The turn, when it is well formed.</param>
    /// <param name="problem">Every problem found, joined with <c>"; "</c>, when it is not.</param>
    /// <returns>Whether the turn is well formed.</returns>
    public static bool TryParse(JsonElement element, out Turn? turn, out string? problem)
    {
        turn = null;
        if (element.ValueKind != JsonValueKind.Object)
        {
            problem = $"the turn is {LlmJsonText.KindName(element.ValueKind)}, not an object";
            return false;
        }

        if (!element.TryGetProperty(Turn.RoleKey, out var roleValue))
        {
            problem = "missing key 'role'";
            return false;
        }

        // ValueEquals compares the raw UTF-8, so a role holding invalid UTF-8 cannot throw here.
        var role = roleValue.ValueKind != JsonValueKind.String ? null
            : roleValue.ValueEquals(DmTurn.RoleName) ? DmTurn.RoleName
            : roleValue.ValueEquals(PlayerTurn.RoleName) ? PlayerTurn.RoleName
            : null;
        var expected = role switch
        {
            DmTurn.RoleName => DmKeys,
            PlayerTurn.RoleName => PlayerKeys,
            _ => null,
        };
        if (expected is null)
        {
            problem = $"'role' must be \"DM\" or \"Player\", found {Shorten(roleValue)}";
            return false;
        }

        var keys = role == DmTurn.RoleName ? DmKeysUtf8 : PlayerKeysUtf8;
        var values = default(TurnValues);
        List<string>? problems = null;
        var seen = 0;
        foreach (var property in element.EnumerateObject())
        {
            var slot = Slot(property, keys);
            if (slot >= 0 && (seen & (1 << slot)) != 0)
            {
                (problems ??= []).Add($"duplicate key '{property.Name}'");
            }
            else if (slot < 0)
            {
                var name = property.Name;
                var near = Array.Find(expected, k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase));
                (problems ??= []).Add(near is null
                    ? $"unexpected key '{name}' for a {role} turn"
                    : $"unexpected key '{name}' (keys are case-sensitive: '{near}')");
            }
            else
            {
                seen |= 1 << slot;
                values[slot] = property.Value;
                if (TypeProblem(expected[slot], property.Value) is { } typeProblem)
                {
                    (problems ??= []).Add(typeProblem);
                }
            }
        }

        for (var slot = 0; slot < expected.Length; slot++)
        {
            if ((seen & (1 << slot)) == 0)
            {
                (problems ??= []).Add($"missing key '{expected[slot]}'");
            }
        }

        if (problems is not null)
        {
            problem = string.Join("; ", problems);
            return false;
        }

        try
        {
            // Slots follow DmKeys / PlayerKeys: turn, role, Thought, then Observation and the four flags, or Action.
            var number = values[0].GetInt32();
            var thought = values[2].GetString()!;
            turn = role == DmTurn.RoleName
                ? new DmTurn(number, thought, values[3].GetString()!, values[4].GetBoolean(), values[5].GetBoolean(), values[6].GetBoolean(), values[7].GetBoolean())
                : new PlayerTurn(number, thought, values[3].GetString()!);
        }
        catch (InvalidOperationException)
        {
            // A string holding bytes that are not valid UTF-8 (possible when the element was parsed from raw bytes).
            turn = null;
            problem = "a text value is not valid UTF-8";
            return false;
        }

        problem = null;
        return true;
    }

    /// <summary>The slot of a property among the role's keys (compared as UTF-8, without making a string), or -1.</summary>
    private static int Slot(JsonProperty property, byte[][] keys)
    {
        for (var slot = 0; slot < keys.Length; slot++)
        {
            if (property.NameEquals(keys[slot]))
            {
                return slot;
            }
        }

        return -1;
    }

    /// <summary>The values of a turn's keys, by slot.</summary>
    [System.Runtime.CompilerServices.InlineArray(8)]
    private struct TurnValues
    {
        private JsonElement _first;
    }

    private static string? TypeProblem(string name, JsonElement value)
    {
        var ok = name switch
        {
            Turn.TurnKey => value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out _),
            DmTurn.ParameterErrorKey or DmTurn.PlaceErrorKey or DmTurn.LogicErrorKey or DmTurn.TaskCompletedKey
                => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
            _ => value.ValueKind == JsonValueKind.String,
        };
        if (ok)
        {
            return null;
        }

        var wanted = name switch
        {
            Turn.TurnKey => "an integer",
            DmTurn.ParameterErrorKey or DmTurn.PlaceErrorKey or DmTurn.LogicErrorKey or DmTurn.TaskCompletedKey => "a boolean",
            _ => "a string",
        };
        return $"'{name}' must be {wanted}, found {Shorten(value)}";
    }

    private static string Shorten(JsonElement value)
    {
        string raw;
        try
        {
            raw = value.GetRawText();
        }
        catch (InvalidOperationException)
        {
            return "text that is not valid UTF-8";
        }

        return raw.Length <= 40 ? raw : string.Concat(raw.AsSpan(0, 37), "...");
    }
}
