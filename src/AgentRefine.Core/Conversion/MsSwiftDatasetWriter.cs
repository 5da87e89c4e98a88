namespace AgentRefine.Conversion;

/// <summary>The ms-swift layout: <c>{"messages": [{"role", "content", "loss"}]}</c>, with <c>loss</c> on assistant messages only.</summary>
/// <param name="path">The dataset file.</param>
public sealed class MsSwiftDatasetWriter(string path) : JsonlDatasetWriter(path)
{
    /// <summary>The format's name.</summary>
    public const string Name = "ms-swift";

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
            writer.WriteString("content", message.Content);
            if (message.Role == TrainingRole.Assistant)
            {
                writer.WriteBoolean("loss", message.Train);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    });
}
