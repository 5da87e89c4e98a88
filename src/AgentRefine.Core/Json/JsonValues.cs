using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace AgentRefine.Json;

/// <summary>Reads typed values from JSON elements without throwing for a value of another kind.</summary>
internal static class JsonValues
{
    /// <summary>The property's string value, when the object has the property and it is a string.</summary>
    public static bool TryGetString(JsonElement value, string name, [NotNullWhen(true)] out string? text)
    {
        text = value.ValueKind == JsonValueKind.Object && value.TryGetProperty(name, out var property) && property.ValueKind == JsonValueKind.String
            ? property.GetString()
            : null;
        return text is not null;
    }

    /// <summary>The value as a whole number in <see cref="int"/> range, when it is one.</summary>
    public static bool TryGetInt32(JsonElement value, out int number)
    {
        number = 0;
        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out number);
    }

    /// <summary>The value as a whole number in <see cref="long"/> range, when it is one.</summary>
    public static bool TryGetInt64(JsonElement value, out long number)
    {
        number = 0;
        return value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out number);
    }
}
