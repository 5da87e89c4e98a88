namespace AgentRefine.Conversion;

/// <summary>
/// The AgentGym / AgentInstruct / Agent-FLAN layout: <c>{"id", "conversations": [{"from": "human"|"gpt", "value", "loss"}]}</c>,
/// <c>loss</c> <see langword="false"/> on human turns and the train flag on gpt turns. The format has
/// no system role: a system message is put before the first human turn's text, separated by a blank line.
/// </summary>
/// <param name="path">The dataset file.</param>
public sealed class AgentGymDatasetWriter(string path) : JsonlDatasetWriter(path)
{
    /// <summary>The format's name.</summary>
    public const string Name = "agentgym";

    /// <inheritdoc />
    public override string FormatName => Name;

    /// <inheritdoc />
    protected override void WriteRows(TrainingConversation conversation) => WriteRow(writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("id", conversation.Id);
        writer.WriteStartArray("conversations");
        var system = conversation.System;
        foreach (var message in conversation.Dialogue)
        {
            writer.WriteStartObject();
            writer.WriteString("from", message.Role == TrainingRole.User ? "human" : "gpt");
            writer.WriteString("value", system is null ? message.Content : system + "\n\n" + message.Content);
            writer.WriteBoolean("loss", message.Train);
            writer.WriteEndObject();
            system = null;
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    });
}
