using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Parquet.Schema;

namespace AgentRefine.Conversion;

/// <summary>
/// LLaMA-Factory's stable engine (sharegpt): <c>{"conversations": [{"from": "human"|"gpt", "value"}], "system"}</c>
/// (Parquet: <c>conversations: list&lt;struct&lt;from: string, value: string&gt;&gt;, system: string</c>).
/// That engine has no per-turn loss switch, only <c>mask_history</c> (train the last turn only), so
/// exact masking is done by writing one sample per trained assistant turn, holding the whole history
/// up to that turn, trained under <c>mask_history: true</c>. The cost is quadratic in turns: a
/// conversation with n trained turns is written n times (see <see cref="JsonlDatasetWriter.BytesWritten"/>).
/// Beside the file it writes (or updates, keeping other entries) <c>dataset_info.json</c>, with an entry
/// named after the file (and one for the eval file), and a training-arguments YAML
/// (<see cref="TrainingConfigPath"/>) that sets <c>mask_history: true</c>, the dataset, <c>template</c>, a
/// <c>cutoff_len</c> covering the longest row (<see cref="CutoffLength"/>) and the fields
/// <c>llamafactory-cli train</c> needs (<see cref="LlamaFactoryTrainingOptions"/>), so that the dataset cannot
/// be trained without the argument it depends on.
/// </summary>
public sealed class LlamaFactoryDatasetWriter : JsonlDatasetWriter
{
    /// <summary>The format's name.</summary>
    public const string Name = "llamafactory";

    /// <summary>Tokens counted per message for the role markers a template adds around it (Llama-3 adds 5).</summary>
    public const int TokensPerMessage = 16;

    /// <summary>Tokens kept free for a template's default system prompt (DBRX's, the longest in LLaMA-Factory's registry, is 1,047 UTF-8 bytes).</summary>
    public const int DefaultSystemReserve = 1_048;

    private const int CutoffStep = 1_024;
    private readonly LlamaFactoryTrainingOptions _training;
    private bool _hasSystem;
    private long _longestRow;

    /// <summary>Creates the writer (JSON Lines, or Parquet for a <c>.parquet</c> path).</summary>
    /// <param name="path">The dataset file.</param>
    public LlamaFactoryDatasetWriter(string path)
        : this(path, null)
    {
    }

    /// <summary>Creates the writer.</summary>
    /// <param name="path">The dataset (train) file.</param>
    /// <param name="options">The container, the eval split and the training YAML's settings (<see cref="DatasetWriterOptions.LlamaFactory"/>); defaults when <see langword="null"/>.</param>
    /// <exception cref="ArgumentException">A dataset name holds a comma (LLaMA-Factory splits <c>dataset:</c> at commas), or the eval file has the train file's name.</exception>
    public LlamaFactoryDatasetWriter(string path, DatasetWriterOptions? options)
        : base(path, CheckNames(path, options), DatasetContainer.JsonLines, static () => new ParquetSchema(
            new ListField("conversations", new StructField(ListField.ElementName, new DataField<string>("from"), new DataField<string>("value"))),
            new DataField<string>("system")), null)
    {
        // A copy: the YAML says what the options said when the writer was made.
        var training = options?.LlamaFactory ?? new LlamaFactoryTrainingOptions();
        _training = new LlamaFactoryTrainingOptions { Template = training.Template, ModelNameOrPath = training.ModelNameOrPath, OutputDir = training.OutputDir };
    }

    /// <inheritdoc />
    public override string FormatName => Name;

    /// <inheritdoc />
    private protected override bool CanRenderConcurrently => true;

    /// <summary>The dataset's name in <c>dataset_info.json</c>: the file name without its extension.</summary>
    public string DatasetName => Path.GetFileNameWithoutExtension(OutputPath);

    /// <summary>The eval dataset's name in <c>dataset_info.json</c>, or <see langword="null"/> without an eval split.</summary>
    public string? EvalDatasetName => EvalOutputPath is null ? null : Path.GetFileNameWithoutExtension(EvalOutputPath);

    /// <summary>
    /// The <c>cutoff_len</c> the YAML sets: an upper bound on the tokens of the longest row written so far. A
    /// byte-level BPE (Llama-3, Qwen, GPT-2 style) or a SentencePiece tokenizer with byte fallback (Mistral,
    /// Llama-2) never makes more tokens than UTF-8 bytes, so a row's bound is the UTF-8 bytes of its messages
    /// plus <see cref="TokensPerMessage"/> per message; <see cref="DefaultSystemReserve"/> is added and the sum
    /// rounded up to a multiple of 1,024. Real counts are about a quarter of that for English text.
    /// </summary>
    public long CutoffLength => (_longestRow + DefaultSystemReserve + CutoffStep - 1) / CutoffStep * CutoffStep;

    /// <summary>The <c>dataset_info.json</c> beside a dataset file.</summary>
    /// <param name="datasetPath">The dataset file.</param>
    /// <returns>Its full path.</returns>
    public static string DatasetInfoPath(string datasetPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(datasetPath);
        return Path.Combine(Path.GetDirectoryName(Path.GetFullPath(datasetPath))!, "dataset_info.json");
    }

    /// <summary>The training-arguments YAML beside a dataset file: <c>train.jsonl</c> → <c>train.llamafactory.yaml</c> (<c>train.llamafactory.jsonl</c> → <c>train.llamafactory.yaml</c>).</summary>
    /// <param name="datasetPath">The dataset file.</param>
    /// <returns>The YAML's path.</returns>
    public static string TrainingConfigPath(string datasetPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(datasetPath);
        var stem = Path.ChangeExtension(datasetPath, null);
        return stem.EndsWith(".llamafactory", StringComparison.OrdinalIgnoreCase) ? stem + ".yaml" : stem + ".llamafactory.yaml";
    }

    /// <summary>The command that trains on a dataset file with its YAML: <c>llamafactory-cli train /…/train.llamafactory.yaml</c>.</summary>
    /// <param name="datasetPath">The dataset file.</param>
    /// <returns>The command line (the path quoted for a POSIX shell when it needs it).</returns>
    public static string TrainCommand(string datasetPath) => "llamafactory-cli train " + ShellText.Quote(Path.GetFullPath(TrainingConfigPath(datasetPath)));

    /// <summary>Refuses names LLaMA-Factory cannot take, before the base creates any file.</summary>
    private static DatasetWriterOptions? CheckNames(string path, DatasetWriterOptions? options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var name = Path.GetFileNameWithoutExtension(path);
        var evalName = options is { HasEvalSplit: true } ? Path.GetFileNameWithoutExtension(options.EvalPath ?? DatasetSplit.EvalPath(path)) : null;
        foreach (var each in new[] { name, evalName })
        {
            if (each is not null && each.Contains(',', StringComparison.Ordinal))
            {
                throw new ArgumentException($"The dataset name '{each}' (the file name without its extension) holds a comma: LLaMA-Factory splits 'dataset:' at commas. Rename the file.", nameof(path));
            }
        }

        if (string.Equals(evalName, name, StringComparison.Ordinal))
        {
            throw new ArgumentException($"The eval file '{options!.EvalPath}' has the train file's name '{name}': dataset_info.json names each dataset after its file. Give the eval file another name.", nameof(options));
        }

        return options;
    }

    /// <inheritdoc />
    protected override void WriteRows(TrainingConversation conversation)
    {
        var dialogue = conversation.Dialogue.ToList();
        var system = conversation.System;
        long bound = system is null ? 0 : Encoding.UTF8.GetByteCount(system) + TokensPerMessage;
        long longest = 0;
        for (var end = 0; end < dialogue.Count; end++)
        {
            bound += Encoding.UTF8.GetByteCount(dialogue[end].Content) + TokensPerMessage;
            if (dialogue[end].Role != TrainingRole.Assistant || !dialogue[end].Train)
            {
                continue;
            }

            longest = Math.Max(longest, bound);
            var last = end;
            WriteRow(writer =>
            {
                writer.WriteStartObject();
                writer.WriteStartArray("conversations");
                for (var i = 0; i <= last; i++)
                {
                    writer.WriteStartObject();
                    writer.WriteString("from", dialogue[i].Role == TrainingRole.User ? "human" : "gpt");
                    writer.WriteString("value", dialogue[i].Content);
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
                if (system is not null)
                {
                    writer.WriteString("system", system);
                }

                writer.WriteEndObject();
            });
        }

        var hasSystem = system is not null;
        OnWritten(() =>
        {
            _hasSystem |= hasSystem;
            _longestRow = Math.Max(_longestRow, longest);
        });
    }

    /// <inheritdoc />
    protected override async ValueTask WriteSideFilesAsync(CancellationToken cancellationToken)
    {
        var infoPath = DatasetInfoPath(OutputPath);
        JsonObject info;
        try
        {
            info = File.Exists(infoPath)
                ? JsonNode.Parse(await File.ReadAllTextAsync(infoPath, cancellationToken).ConfigureAwait(false)) as JsonObject
                    ?? throw new DatasetFormatException($"{infoPath} is not a JSON object; it was left unchanged.")
                : [];
        }
        catch (JsonException exception)
        {
            throw new DatasetFormatException($"{infoPath} is not valid JSON ({exception.Message}); it was left unchanged.", exception);
        }

        info[DatasetName] = Entry(OutputPath, infoPath);
        if (EvalOutputPath is not null)
        {
            info[EvalDatasetName!] = Entry(EvalOutputPath, infoPath);
        }

        await WriteSideFileAsync(infoPath, info.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n", cancellationToken).ConfigureAwait(false);
        await WriteSideFileAsync(TrainingConfigPath(OutputPath), TrainingYaml(infoPath), cancellationToken).ConfigureAwait(false);
    }

    private JsonObject Entry(string datasetPath, string infoPath)
    {
        var columns = new JsonObject { ["messages"] = "conversations" };
        if (_hasSystem)
        {
            columns["system"] = "system";
        }

        // LLaMA-Factory joins dataset_dir (the folder of dataset_info.json) with file_name: a file elsewhere is named absolutely.
        var sameFolder = string.Equals(Path.GetDirectoryName(datasetPath), Path.GetDirectoryName(infoPath), StringComparison.Ordinal);
        return new JsonObject
        {
            ["file_name"] = sameFolder ? Path.GetFileName(datasetPath) : datasetPath,
            ["formatting"] = "sharegpt",
            ["columns"] = columns,
            ["tags"] = new JsonObject
            {
                ["role_tag"] = "from",
                ["content_tag"] = "value",
                ["user_tag"] = "human",
                ["assistant_tag"] = "gpt",
            },
        };
    }

    private string TrainingYaml(string infoPath)
    {
        var c = CultureInfo.InvariantCulture;
        var yaml = new StringBuilder()
            .Append(c, $"# LLaMA-Factory training arguments for {Path.GetFileName(OutputPath)} (written by agentrefine convert).\n")
            .Append(c, $"# Train with:  {TrainCommand(OutputPath)}\n")
            .Append("# mask_history: true is what makes the rows exact: each sample holds a trajectory up to one trained\n")
            .Append("# assistant turn and trains that turn only. Without it every turn of every sample is trained, mistakes included.\n")
            .Append(c, $"# The dataset is registered (formatting: sharegpt) in {infoPath}.\n");
        if (_training.HasEfficientEos)
        {
            yaml.Append(c, $"# Warning: template '{_training.Template}' has efficient_eos: LLaMA-Factory labels the EOS after each masked\n")
                .Append("# history turn too, so samples train a stop after mistaken turns. Prefer a template without efficient_eos.\n");
        }

        yaml.Append("\n### model\n")
            .Append("model_name_or_path: ").Append(YamlText.Quote(_training.ModelNameOrPath)).Append('\n')
            .Append("\n### method\n")
            .Append("stage: sft\n")
            .Append("do_train: true\n")
            .Append("finetuning_type: lora\n")
            .Append("lora_target: all\n")
            .Append("\n### dataset\n")
            .Append("dataset_dir: ").Append(YamlText.Quote(Path.GetDirectoryName(infoPath)!)).Append('\n')
            .Append("dataset: ").Append(YamlText.Quote(DatasetName)).Append('\n');
        if (EvalDatasetName is not null)
        {
            yaml.Append("eval_dataset: ").Append(YamlText.Quote(EvalDatasetName)).Append('\n');
        }

        yaml.Append("template: ").Append(YamlText.Quote(_training.Template)).Append('\n')
            .Append("# cutoff_len covers the longest row: UTF-8 bytes + 16 per message + 1,048, rounded up to 1,024, an upper\n")
            .Append("# bound on its tokens. A row longer than cutoff_len would lose its start (the task).\n")
            .Append(c, $"cutoff_len: {CutoffLength}\n")
            .Append("mask_history: true\n")
            .Append("# No val_size: it splits rows, so prefixes of one trajectory would land in train and eval")
            .Append(EvalDatasetName is null ? "; split with agentrefine convert --eval-fraction instead.\n" : " (eval_dataset holds whole trajectories instead).\n")
            .Append("\n### output\n")
            .Append("output_dir: ").Append(YamlText.Quote(_training.OutputDir ?? "saves/" + DatasetName)).Append('\n')
            .Append("logging_steps: 10\n")
            .Append("save_steps: 500\n")
            .Append("\n### train\n")
            .Append("per_device_train_batch_size: 1\n")
            .Append("gradient_accumulation_steps: 8\n")
            .Append("learning_rate: 1.0e-4\n")
            .Append("num_train_epochs: 3.0\n")
            .Append("lr_scheduler_type: cosine\n")
            .Append("bf16: true\n");
        if (EvalDatasetName is not null)
        {
            yaml.Append("\n### eval\n")
                .Append("per_device_eval_batch_size: 1\n")
                .Append("eval_strategy: steps\n")
                .Append("eval_steps: 500\n");
        }

        return yaml.ToString();
    }
}
