using System.Text.Json;
using System.Text.Json.Serialization;

namespace AgentRefine.Trajectories;

/// <summary>
/// Lets <see cref="JsonSerializer"/> read a <see cref="Turn"/> strictly (see <see cref="TurnParser"/>)
/// and write it with the canonical keys.
/// </summary>
public sealed class TurnJsonConverter : JsonConverter<Turn>
{
    /// <inheritdoc />
    public override bool CanConvert(Type typeToConvert) => typeof(Turn).IsAssignableFrom(typeToConvert);

    /// <inheritdoc />
    public override Turn Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        return TurnParser.TryParse(document.RootElement, out var turn, out var problem)
            ? turn!
            : throw new JsonException($"Not a well-formed turn: {problem}");
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, Turn value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(value);
        value.WriteTo(writer);
    }
}
