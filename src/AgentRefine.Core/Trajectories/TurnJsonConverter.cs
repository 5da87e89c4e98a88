using System.Text.Json;
using System.Text.Json.Serialization;

namespace AgentRefine.Trajectories;

/// <summary>
/// Lets <see cref="JsonSerializer"/> read a turn strictly (see <see cref="TurnParser"/>) and write it
/// with the canonical keys. Applied to <see cref="Turn"/>, <see cref="DmTurn"/> and <see cref="PlayerTurn"/>.
/// </summary>
/// <typeparam name="TTurn">The turn type converted.</typeparam>
internal sealed class TurnJsonConverter<TTurn> : JsonConverter<TTurn>
    where TTurn : Turn
{
    /// <inheritdoc />
    public override TTurn Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        if (!TurnParser.TryParse(document.RootElement, out var turn, out var problem))
        {
            throw new JsonException($"Not a well-formed turn: {problem}");
        }

        return turn as TTurn ?? throw new JsonException($"Expected a {typeof(TTurn).Name}, found a {turn!.Role} turn.");
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, TTurn value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(value);
        value.WriteTo(writer);
    }
}
