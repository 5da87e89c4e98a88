using System.Text;
using System.Text.Json;
using Parquet.Schema;

namespace AgentRefine.Conversion;

/// <summary>
/// The axolotl <c>chat_template</c> layout: <c>{"messages": [{"role", "content", "train"}]}</c> with a
/// boolean <c>train</c> on every message (Parquet: <c>messages: list&lt;struct&lt;role: string, content: string, train: bool&gt;&gt;</c>),
/// plus a YAML dataset snippet beside the file (<c>&lt;file&gt;.axolotl.yml</c>) that sets
/// <c>message_field_training: train</c> and <c>train_on_eos: turn</c>, so the end-of-turn token of each
/// trained turn gets loss too. The snippet's <c>path</c> is absolute: axolotl resolves a relative
/// <c>path</c> against the folder it runs in (else takes it for a Hub dataset). With an eval split the eval
/// file is listed under <c>test_datasets</c>.
/// </summary>
public sealed class AxolotlDatasetWriter : MessagesDatasetWriter
{
    /// <summary>The format's name.</summary>
    public const string Name = "axolotl";

    /// <summary>Creates the writer (JSON Lines, or Parquet for a <c>.parquet</c> path).</summary>
    /// <param name="path">The dataset file.</param>
    public AxolotlDatasetWriter(string path)
        : this(path, null)
    {
    }

    /// <summary>Creates the writer.</summary>
    /// <param name="path">The dataset (train) file.</param>
    /// <param name="options">The container and the eval split; defaults when <see langword="null"/>.</param>
    public AxolotlDatasetWriter(string path, DatasetWriterOptions? options)
        : base(path, options, static () => MessagesSchema(new DataField<bool>("train")))
    {
    }

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
    private protected override bool CanRenderConcurrently => true;

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
            .Append("# axolotl dataset entries for ").Append(Path.GetFileName(OutputPath)).Append(" (written by agentrefine convert): merge them into your axolotl config.\n")
            .Append("# Per-message loss comes from the boolean 'train' field: mistaken turns stay in context with no loss.\n")
            .Append("# Paths are absolute: axolotl resolves a relative path against the folder it runs in.\n");
        if (EvalOutputPath is not null)
        {
            yaml.Append("# The eval file holds whole trajectories the train file does not; leave val_set_size unset (axolotl refuses it with test_datasets).\n");
        }

        AppendEntries(yaml.Append("datasets:\n"), OutputPath, split: null);
        if (EvalOutputPath is not null)
        {
            AppendEntries(yaml.Append("test_datasets:\n"), EvalOutputPath, split: "train");
        }

        await WriteSideFileAsync(ConfigPath(OutputPath), yaml.ToString(), cancellationToken).ConfigureAwait(false);
    }

    private void AppendEntries(StringBuilder yaml, string path, string? split)
    {
        yaml.Append("  - path: ").Append(YamlText.Quote(path)).Append('\n')
            .Append("    ds_type: ").Append(Container == DatasetContainer.Parquet ? "parquet" : "json").Append('\n');
        if (split is not null)
        {
            // A single local file has one split, "train", whichever list it is in.
            yaml.Append("    split: ").Append(split).Append('\n');
        }

        yaml.Append("    type: chat_template\n")
            .Append("    field_messages: messages\n")
            .Append("    message_property_mappings:\n")
            .Append("      role: role\n")
            .Append("      content: content\n")
            .Append("    roles_to_train: [\"assistant\"]\n")
            .Append("    message_field_training: train\n")
            .Append("    train_on_eos: turn\n");
    }
}
