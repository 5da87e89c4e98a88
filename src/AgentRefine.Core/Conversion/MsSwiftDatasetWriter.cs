using System.Text.Json;

namespace AgentRefine.Conversion;

/// <summary>The ms-swift layout: <c>{"messages": [{"role", "content", "loss"}]}</c>, with <c>loss</c> on assistant messages only.</summary>
/// <param name="path">The dataset file.</param>
public sealed class MsSwiftDatasetWriter(string path) : MessagesDatasetWriter(path)
{
    /// <summary>The format's name.</summary>
    public const string Name = "ms-swift";

    /// <inheritdoc />
    public override string FormatName => Name;

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
