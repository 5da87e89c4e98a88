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

        List<string>? problems = null;
        var seen = 0;
        foreach (var property in element.EnumerateObject())
        {
            var slot = Array.IndexOf(expected, property.Name);
            if (slot >= 0 && (seen & (1 << slot)) != 0)
            {
                (problems ??= []).Add($"duplicate key '{property.Name}'");
            }
            else if (slot < 0)
            {
                var near = Array.Find(expected, k => string.Equals(k, property.Name, StringComparison.OrdinalIgnoreCase));
                (problems ??= []).Add(near is null
                    ? $"unexpected key '{property.Name}' for a {role} turn"
                    : $"unexpected key '{property.Name}' (keys are case-sensitive: '{near}')");
            }
            else
            {
                seen |= 1 << slot;
                if (TypeProblem(property) is { } typeProblem)
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
            var number = element.GetProperty(Turn.TurnKey).GetInt32();
            var thought = element.GetProperty(Turn.ThoughtKey).GetString()!;
            turn = role == DmTurn.RoleName
                ? new DmTurn(
                    number,
                    thought,
                    element.GetProperty(DmTurn.ObservationKey).GetString()!,
                    element.GetProperty(DmTurn.ParameterErrorKey).GetBoolean(),
                    element.GetProperty(DmTurn.PlaceErrorKey).GetBoolean(),
                    element.GetProperty(DmTurn.LogicErrorKey).GetBoolean(),
                    element.GetProperty(DmTurn.TaskCompletedKey).GetBoolean())
                : new PlayerTurn(number, thought, element.GetProperty(PlayerTurn.ActionKey).GetString()!);
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

    private static string? TypeProblem(JsonProperty property)
    {
        var value = property.Value;
        var ok = property.Name switch
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

        var wanted = property.Name switch
        {
            Turn.TurnKey => "an integer",
            DmTurn.ParameterErrorKey or DmTurn.PlaceErrorKey or DmTurn.LogicErrorKey or DmTurn.TaskCompletedKey => "a boolean",
            _ => "a string",
        };
        return $"'{property.Name}' must be {wanted}, found {Shorten(value)}";
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
