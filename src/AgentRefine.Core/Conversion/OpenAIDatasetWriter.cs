using System.Text.Json;
using Parquet.Schema;

namespace AgentRefine.Conversion;

/// <summary>
/// The OpenAI fine-tuning (and mistral-finetune) layout: <c>{"messages": [{"role", "content", "weight"}]}</c>,
/// <c>weight</c> 0 or 1 on assistant messages only; the last message is an assistant message (Parquet:
/// <c>messages: list&lt;struct&lt;role: string, content: string, weight: int64&gt;&gt;</c>, for tools that read Hugging Face
/// datasets; the OpenAI API itself takes JSON Lines).
/// </summary>
public sealed class OpenAIDatasetWriter : MessagesDatasetWriter
{
    /// <summary>The format's name.</summary>
    public const string Name = "openai";

    /// <summary>Creates the writer (JSON Lines, or Parquet for a <c>.parquet</c> path).</summary>
    /// <param name="path">The dataset file.</param>
    public OpenAIDatasetWriter(string path)
        : this(path, null)
    {
    }

    /// <summary>Creates the writer.</summary>
    /// <param name="path">The dataset (train) file.</param>
    /// <param name="options">The container and the eval split; defaults when <see langword="null"/>.</param>
    public OpenAIDatasetWriter(string path, DatasetWriterOptions? options)
        : base(path, options, static () => MessagesSchema(new DataField<long?>("weight")))
    {
    }

    /// <inheritdoc />
    public override string FormatName => Name;

    /// <inheritdoc />
    private protected override bool CanRenderConcurrently => true;

    /// <inheritdoc />
    protected override void WriteLoss(Utf8JsonWriter writer, TrainingMessage message)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(message);
        if (message.Role == TrainingRole.Assistant)
        {
            writer.WriteNumber("weight", message.Train ? 1 : 0);
        }
    }
}
