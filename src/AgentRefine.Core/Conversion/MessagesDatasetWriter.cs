using System.Text.Json;

namespace AgentRefine.Conversion;

/// <summary>
/// The base of the formats whose row is <c>{"messages": [{"role": "system"|"user"|"assistant", …}]}</c>
/// (ms-swift, OpenAI, axolotl, LLaMA-Factory v1): it writes the row and each message's role; the
/// format writes the rest of each message (its content and its loss field).
/// </summary>
/// <param name="path">The dataset file.</param>
public abstract class MessagesDatasetWriter(string path) : JsonlDatasetWriter(path)
{
    /// <inheritdoc />
    protected sealed override void WriteRows(TrainingConversation conversation)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        WriteRow(writer =>
        {
            writer.WriteStartObject();
            writer.WriteStartArray("messages");
            foreach (var message in conversation.Messages)
            {
                writer.WriteStartObject();
                writer.WriteString("role", message.Role switch
                {
                    TrainingRole.System => "system",
                    TrainingRole.User => "user",
                    _ => "assistant",
                });
                WriteMessage(writer, message);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        });
    }

    /// <summary>Writes a message's properties after its <c>role</c>: its content and the format's loss field.</summary>
    /// <param name="writer">The writer, inside the message object.</param>
    /// <param name="message">The message.</param>
    protected abstract void WriteMessage(Utf8JsonWriter writer, TrainingMessage message);
}
