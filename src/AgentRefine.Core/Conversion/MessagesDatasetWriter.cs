using System.Text.Json;

namespace AgentRefine.Conversion;

/// <summary>
/// The base of the formats whose row is <c>{"messages": [{"role": "system"|"user"|"assistant", …}]}</c>
/// (ms-swift, OpenAI, axolotl, LLaMA-Factory v1): it writes the row, each message's role and, unless a
/// format writes it another way, its <c>content</c> string; the format writes its loss field.
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
                WriteContent(writer, message);
                WriteLoss(writer, message);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        });
    }

    /// <summary>Writes a message's content after its <c>role</c>; by default the string property <c>content</c>.</summary>
    /// <param name="writer">The writer, inside the message object.</param>
    /// <param name="message">The message.</param>
    protected virtual void WriteContent(Utf8JsonWriter writer, TrainingMessage message)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(message);
        writer.WriteString("content", message.Content);
    }

    /// <summary>Writes the format's loss field of a message (after its content), or nothing where the format has none for it.</summary>
    /// <param name="writer">The writer, inside the message object.</param>
    /// <param name="message">The message.</param>
    protected abstract void WriteLoss(Utf8JsonWriter writer, TrainingMessage message);
}
