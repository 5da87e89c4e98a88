using System.Text.Json;
using Parquet.Schema;

namespace AgentRefine.Conversion;

/// <summary>
/// LLaMA-Factory's v1 engine (<c>USE_V1=1</c>): <c>{"messages": [{"role", "content": [{"type": "text", "value"}], "loss_weight"}]}</c>,
/// <c>loss_weight</c> 1.0 on trained assistant messages and 0.0 on every other message (Parquet:
/// <c>messages: list&lt;struct&lt;role: string, content: list&lt;struct&lt;type: string, value: string&gt;&gt;, loss_weight: double&gt;&gt;</c>).
/// </summary>
public sealed class LlamaFactoryV1DatasetWriter : MessagesDatasetWriter
{
    /// <summary>The format's name.</summary>
    public const string Name = "llamafactory-v1";

    /// <summary>Creates the writer (JSON Lines, or Parquet for a <c>.parquet</c> path).</summary>
    /// <param name="path">The dataset file.</param>
    public LlamaFactoryV1DatasetWriter(string path)
        : this(path, null)
    {
    }

    /// <summary>Creates the writer.</summary>
    /// <param name="path">The dataset (train) file.</param>
    /// <param name="options">The container and the eval split; defaults when <see langword="null"/>.</param>
    public LlamaFactoryV1DatasetWriter(string path, DatasetWriterOptions? options)
        : base(path, options, static () => MessagesSchema(
            new DataField<double>("loss_weight"),
            new ListField("content", new StructField(ListField.ElementName, new DataField<string>("type"), new DataField<string>("value")))))
    {
    }

    /// <inheritdoc />
    public override string FormatName => Name;

    /// <inheritdoc />
    private protected override bool CanRenderConcurrently => true;

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
