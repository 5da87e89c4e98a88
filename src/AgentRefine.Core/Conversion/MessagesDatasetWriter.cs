using System.Text.Json;
using Parquet.Schema;

namespace AgentRefine.Conversion;

/// <summary>
/// The base of the formats whose row is <c>{"messages": [{"role": "system"|"user"|"assistant", …}]}</c>
/// (ms-swift, OpenAI, axolotl, LLaMA-Factory v1): it writes the row, each message's role and, unless a
/// format writes it another way, its <c>content</c> string; the format writes its loss field. The built-in
/// formats also declare the row's Parquet layout, <c>messages: list&lt;struct&lt;role, content, &lt;loss field&gt;&gt;&gt;</c>.
/// </summary>
public abstract class MessagesDatasetWriter : JsonlDatasetWriter
{
    /// <summary>Creates the writer (JSON Lines, no eval split).</summary>
    /// <param name="path">The dataset file.</param>
    protected MessagesDatasetWriter(string path)
        : base(path)
    {
    }

    /// <summary>Creates the writer with a container (JSON Lines or a JSON array) and an eval split.</summary>
    /// <param name="path">The dataset (train) file.</param>
    /// <param name="options">The container and the eval split.</param>
    protected MessagesDatasetWriter(string path, DatasetWriterOptions? options)
        : base(path, options)
    {
    }

    /// <summary>Creates a built-in messages format, Parquet included.</summary>
    private protected MessagesDatasetWriter(string path, DatasetWriterOptions? options, Func<ParquetSchema> parquetSchema)
        : base(path, options, DatasetContainer.JsonLines, parquetSchema, null)
    {
    }

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

    /// <summary>The Parquet schema <c>messages: list&lt;struct&lt;role: string, content, loss&gt;&gt;</c> (new field objects on each call).</summary>
    /// <param name="loss">The loss field.</param>
    /// <param name="content">The content field; <c>content: string</c> when <see langword="null"/>.</param>
    private protected static ParquetSchema MessagesSchema(DataField loss, Field? content = null) =>
        new(new ListField("messages", new StructField(ListField.ElementName, new DataField<string>("role"), content ?? new DataField<string>("content"), loss)));
}
