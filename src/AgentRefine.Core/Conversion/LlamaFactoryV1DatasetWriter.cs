using System.Text.Json;

namespace AgentRefine.Conversion;

/// <summary>
/// LLaMA-Factory's v1 engine (<c>USE_V1=1</c>): <c>{"messages": [{"role", "content": [{"type": "text", "value"}], "loss_weight"}]}</c>,
/// <c>loss_weight</c> 1.0 on trained assistant messages and 0.0 on every other message.
/// </summary>
/// <param name="path">The dataset file.</param>
public sealed class LlamaFactoryV1DatasetWriter(string path) : MessagesDatasetWriter(path)
{
    /// <summary>The format's name.</summary>
    public const string Name = "llamafactory-v1";

    /// <inheritdoc />
    public override string FormatName => Name;

    /// <inheritdoc />
    protected override void WriteContent(Utf8JsonWriter writer, TrainingMessage message)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(message);
        writer.WriteStartArray("content");
        writer.WriteStartObject();
        writer.WriteString("type", "text");
        writer.WriteString("value", message.Content);
        writer.WriteEndObject();
        writer.WriteEndArray();
    }

    /// <inheritdoc />
    protected override void WriteLoss(Utf8JsonWriter writer, TrainingMessage message)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(message);
        writer.WriteNumber("loss_weight", message.Train ? 1.0 : 0.0);
    }
}
