using System.Text.Json;
using Parquet.Schema;

namespace AgentRefine.Conversion;

/// <summary>
/// The ms-swift layout: <c>{"messages": [{"role", "content", "loss"}]}</c>, with <c>loss</c> on assistant messages
/// only (Parquet: <c>messages: list&lt;struct&lt;role: string, content: string, loss: bool&gt;&gt;</c>, <c>loss</c> null
/// on system and user messages, as ms-swift's own features declare it).
/// </summary>
public sealed class MsSwiftDatasetWriter : MessagesDatasetWriter
{
    /// <summary>The format's name.</summary>
    public const string Name = "ms-swift";

    /// <summary>Creates the writer (JSON Lines, or Parquet for a <c>.parquet</c> path).</summary>
    /// <param name="path">The dataset file.</param>
    public MsSwiftDatasetWriter(string path)
        : this(path, null)
    {
    }

    /// <summary>Creates the writer.</summary>
    /// <param name="path">The dataset (train) file.</param>
    /// <param name="options">The container and the eval split; defaults when <see langword="null"/>.</param>
    public MsSwiftDatasetWriter(string path, DatasetWriterOptions? options)
        : base(path, options, static () => MessagesSchema(new DataField<bool?>("loss")))
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
            writer.WriteBoolean("loss", message.Train);
        }
    }
}
