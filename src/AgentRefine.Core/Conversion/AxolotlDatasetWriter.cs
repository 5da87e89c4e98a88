using AgentRefine.IO;
using System.Text;
using System.Text.Json;

namespace AgentRefine.Conversion;

/// <summary>
/// The axolotl <c>chat_template</c> layout: <c>{"messages": [{"role", "content", "train"}]}</c> with a
/// boolean <c>train</c> on every message, plus a YAML dataset snippet beside the file
/// (<c>&lt;file&gt;.axolotl.yml</c>) that sets <c>message_field_training: train</c> and
/// <c>train_on_eos: turn</c>, so the end-of-turn token of each trained turn gets loss too.
/// </summary>
/// <param name="path">The dataset file.</param>
public sealed class AxolotlDatasetWriter(string path) : MessagesDatasetWriter(path)
{
    /// <summary>The format's name.</summary>
    public const string Name = "axolotl";

    /// <summary>The YAML snippet's path for a dataset file.</summary>
    /// <param name="datasetPath">The dataset file.</param>
    /// <returns>The snippet's path.</returns>
    /// <remarks><c>train.jsonl</c> → <c>train.axolotl.yml</c>; a name that already says axolotl is not repeated: <c>train.axolotl.jsonl</c> → <c>train.axolotl.yml</c>.</remarks>
    public static string ConfigPath(string datasetPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(datasetPath);
        var stem = Path.ChangeExtension(datasetPath, null);
        return stem.EndsWith(".axolotl", StringComparison.OrdinalIgnoreCase) ? stem + ".yml" : stem + ".axolotl.yml";
    }

    /// <inheritdoc />
    public override string FormatName => Name;

    /// <inheritdoc />
    protected override void WriteLoss(Utf8JsonWriter writer, TrainingMessage message)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(message);
        writer.WriteBoolean("train", message.Train);
    }

    /// <inheritdoc />
    protected override async ValueTask WriteSideFilesAsync(CancellationToken cancellationToken)
    {
        var yaml = new StringBuilder()
            .Append("# axolotl dataset entry for ").Append(Path.GetFileName(OutputPath)).Append(" (written by agentrefine convert).\n")
            .Append("# Per-message loss comes from the boolean 'train' field: mistaken turns stay in context with no loss.\n")
            .Append("datasets:\n")
            .Append("  - path: ").Append(Path.GetFileName(OutputPath)).Append('\n')
            .Append("    ds_type: json\n")
            .Append("    type: chat_template\n")
            .Append("    field_messages: messages\n")
            .Append("    message_property_mappings:\n")
            .Append("      role: role\n")
            .Append("      content: content\n")
            .Append("    roles_to_train: [\"assistant\"]\n")
            .Append("    message_field_training: train\n")
            .Append("    train_on_eos: turn\n");
        await AtomicFile.WriteAllTextAsync(ConfigPath(OutputPath), yaml.ToString(), cancellationToken).ConfigureAwait(false);
    }
}
