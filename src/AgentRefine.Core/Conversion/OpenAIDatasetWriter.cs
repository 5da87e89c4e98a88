using System.Text.Json;

namespace AgentRefine.Conversion;

/// <summary>
/// The OpenAI fine-tuning (and mistral-finetune) layout: <c>{"messages": [{"role", "content", "weight"}]}</c>,
/// <c>weight</c> 0 or 1 on assistant messages only; the last message is an assistant message.
/// </summary>
/// <param name="path">The dataset file.</param>
public sealed class OpenAIDatasetWriter(string path) : MessagesDatasetWriter(path)
{
    /// <summary>The format's name.</summary>
    public const string Name = "openai";

    /// <inheritdoc />
    public override string FormatName => Name;

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
