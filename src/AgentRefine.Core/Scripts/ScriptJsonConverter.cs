using System.Text.Json;
using System.Text.Json.Serialization;

namespace AgentRefine.Scripts;

/// <summary>
/// Lets <see cref="JsonSerializer"/> read a <see cref="Script"/> with the tolerant key rules of
/// <see cref="ScriptReader"/> and write it in the canonical spelling.
/// </summary>
internal sealed class ScriptJsonConverter : JsonConverter<Script>
{
    /// <inheritdoc />
    public override Script Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        var result = ScriptReader.FromJson(document.RootElement);
        return result.Script ?? throw new JsonException(result.Error);
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, Script value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(value);
        value.WriteTo(writer);
    }
}
