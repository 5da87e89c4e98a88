namespace AgentRefine.Conversion;

/// <summary>
/// LLaMA-Factory's v1 engine (<c>USE_V1=1</c>): <c>{"messages": [{"role", "content": [{"type": "text", "value"}], "loss_weight"}]}</c>,
/// <c>loss_weight</c> 1.0 on trained assistant messages and 0.0 on every other message.
/// </summary>
/// <param name="path">The dataset file.</param>
public sealed class LlamaFactoryV1DatasetWriter(string path) : JsonlDatasetWriter(path)
{
    /// <summary>The format's name.</summary>
    public const string Name = "llamafactory-v1";

    /// <inheritdoc />
    public override string FormatName => Name;

    /// <inheritdoc />
    protected override void WriteRows(TrainingConversation conversation) => WriteRow(writer =>
    {
        writer.WriteStartObject();
        writer.WriteStartArray("messages");
        foreach (var message in conversation.Messages)
        {
            writer.WriteStartObject();
            writer.WriteString("role", RoleNames.Of(message.Role));
            writer.WriteStartArray("content");
            writer.WriteStartObject();
            writer.WriteString("type", "text");
            writer.WriteString("value", message.Content);
            writer.WriteEndObject();
            writer.WriteEndArray();
            writer.WriteNumber("loss_weight", message.Train ? 1.0 : 0.0);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    });
}
