using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using AgentRefine.Conversion;

namespace AgentRefine.Cli.Commands;

/// <summary>
/// <c>convert</c>'s options about the files a dataset is written to: the train / eval split
/// (<c>--eval-fraction</c>, <c>--seed</c>, <c>--eval-output</c>), AgentGym's container
/// (<c>--agentgym-jsonl</c>), LLaMA-Factory's training YAML (<c>--template</c>, <c>--model</c>); Parquet comes
/// from an <c>--output</c> ending with <c>.parquet</c>. It also lists the files the writer will create (checked
/// against the inputs before anything is opened) and prints what the user needs to train with them.
/// </summary>
internal sealed class ConvertDatasetOptions
{
    public Option<double> EvalFraction { get; } = new("--eval-fraction")
    {
        Description = "Hold out this share (0 to <1) of the trajectories in an eval file: whole trajectories (for llamafactory, every prefix sample of one) go to train or eval, by their record id and --seed. Default 0: no eval file.",
    };

    public Option<int?> Seed { get; } = new("--seed") { Description = "The seed of the train/eval split (with --eval-fraction). Default 0." };

    public Option<FileInfo?> EvalOutput { get; } = new("--eval-output") { Description = "The eval file (with --eval-fraction). Default: the --output name with .eval before its extension (train.jsonl → train.eval.jsonl)." };

    public Option<bool> AgentGymJsonl { get; } = new("--agentgym-jsonl") { Description = "With --format agentgym: write JSON Lines (for tools that stream) instead of the JSON array AgentGym's BCTrainer reads." };

    public Option<string?> Template { get; } = new("--template") { Description = $"With --format llamafactory: LLaMA-Factory's chat template, written into the training config (default {LlamaFactoryTrainingOptions.DefaultTemplate}). With --format tokens: the chat template the rows are rendered with, {string.Join(" or ", Tokenization.ChatTemplates.Names)} (required)." };

    public Option<DirectoryInfo?> Tokenizer { get; } = new("--tokenizer") { Description = "With --format tokens: the Hugging Face model folder with tokenizer.json (byte-level BPE, e.g. Llama-3) or tokenizer.model (SentencePiece, e.g. Mistral)." };

    public Option<int?> MaxLength { get; } = new("--max-length") { Description = "With --format tokens: skip (and count) rows with more than N tokens; rows are never cut." };

    public Option<string?> Model { get; } = new("--model") { Description = $"With --format llamafactory: the model the training config fine-tunes (model_name_or_path). Default {LlamaFactoryTrainingOptions.DefaultModel}." };

    public IEnumerable<Option> All => [EvalFraction, Seed, EvalOutput, AgentGymJsonl, Template, Model, Tokenizer, MaxLength];

    /// <summary>
    /// An option's value inside a command validator: the default when the option is absent, or when its
    /// argument does not parse (System.CommandLine reports that itself; asking for the value would throw).
    /// </summary>
    private static T? ValueOrDefault<T>(CommandResult result, Option<T> option)
    {
        if (result.GetResult(option) is null)
        {
            return default;
        }

        try
        {
            return result.GetValue(option);
        }
        catch (InvalidOperationException)
        {
            return default;
        }
    }

    /// <summary>Adds parse errors for options given where they do not apply.</summary>
    public void Validate(CommandResult result, Option<FileInfo?> output, Option<string?> format)
    {
        var formatName = ValueOrDefault(result, format);
        var outputFile = ValueOrDefault(result, output);
        var fraction = ValueOrDefault(result, EvalFraction);
        if (result.GetResult(EvalFraction) is not null && (double.IsNaN(fraction) || fraction < 0 || fraction >= 1))
        {
            result.AddError("--eval-fraction must be at least 0 and less than 1 (the share of trajectories held out for eval).");
        }

        if ((result.GetResult(Seed) is not null || result.GetResult(EvalOutput) is not null) && !(fraction > 0))
        {
            result.AddError("--seed and --eval-output belong to the train/eval split: give --eval-fraction above 0 too.");
        }

        if (result.GetResult(AgentGymJsonl) is not null && formatName != AgentGymDatasetWriter.Name)
        {
            result.AddError("--agentgym-jsonl applies to --format agentgym.");
        }

        if (formatName == Tokenization.TokensDatasetWriter.Name)
        {
            var templateName = ValueOrDefault(result, Template);
            if (templateName is null || !Tokenization.ChatTemplates.Names.Contains(templateName, StringComparer.Ordinal) || result.GetResult(Tokenizer) is null)
            {
                result.AddError($"--format tokens needs --template {string.Join("|", Tokenization.ChatTemplates.Names)} and --tokenizer DIR (the model's Hugging Face folder).");
            }

            if (result.GetResult(Model) is not null)
            {
                result.AddError("--model writes LLaMA-Factory's training config: it applies to --format llamafactory.");
            }

            if (ValueOrDefault(result, MaxLength) is < 1)
            {
                result.AddError("--max-length must be 1 or more.");
            }
        }
        else
        {
            if ((result.GetResult(Template) is not null || result.GetResult(Model) is not null) && formatName != LlamaFactoryDatasetWriter.Name)
            {
                result.AddError("--template and --model write LLaMA-Factory's training config: they apply to --format llamafactory (and --template to --format tokens).");
            }

            if (result.GetResult(Tokenizer) is not null || result.GetResult(MaxLength) is not null)
            {
                result.AddError("--tokenizer and --max-length apply to --format tokens.");
            }
        }

        if (formatName == AgentGymDatasetWriter.Name && outputFile is not null && IsParquet(outputFile.FullName))
        {
            result.AddError("--format agentgym cannot be Parquet: AgentGym's BCTrainer reads its train file with json.load (a JSON array). Give a .json --output (or .jsonl with --agentgym-jsonl).");
        }
    }

    /// <summary>The writer's options from the parsed command line.</summary>
    public DatasetWriterOptions WriterOptions(ParseResult parse)
    {
        var options = new DatasetWriterOptions
        {
            EvalFraction = parse.GetValue(EvalFraction),
            Seed = parse.GetValue(Seed) ?? 0,
            EvalPath = parse.GetValue(EvalOutput)?.FullName,
            Container = parse.GetValue(AgentGymJsonl) ? DatasetContainer.JsonLines : null,
        };
        options.LlamaFactory.Template = parse.GetValue(Template) ?? LlamaFactoryTrainingOptions.DefaultTemplate;
        options.LlamaFactory.ModelNameOrPath = parse.GetValue(Model) ?? LlamaFactoryTrainingOptions.DefaultModel;
        return options;
    }

    /// <summary>The files the writer creates besides <c>--output</c> (checked like outputs: never an input, never another output).</summary>
    public static IEnumerable<(string Label, string Path)> Outputs(string format, string output, DatasetWriterOptions options)
    {
        if (options.HasEvalSplit)
        {
            yield return ("--eval-output", EvalPath(output, options));
        }

        switch (format)
        {
            case AxolotlDatasetWriter.Name:
                yield return ("the axolotl config", AxolotlDatasetWriter.ConfigPath(output));
                break;
            case LlamaFactoryDatasetWriter.Name:
                yield return ("dataset_info.json", LlamaFactoryDatasetWriter.DatasetInfoPath(output));
                yield return ("the LLaMA-Factory training config", LlamaFactoryDatasetWriter.TrainingConfigPath(output));
                break;
            default:
                break;
        }
    }

    /// <summary>Warnings to give before the dataset is written: things that will not train as the user expects.</summary>
    public static void WarnBefore(string format, string output, DatasetWriterOptions options, TextWriter error)
    {
        if (format == AgentGymDatasetWriter.Name && options.Container is null && output.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase))
        {
            error.WriteLine($"agentrefine convert: warning: {Path.GetFileName(output)} will hold a JSON array (what AgentGym's BCTrainer reads with json.load), not JSON Lines; name it .json, or give --agentgym-jsonl for JSON Lines.");
        }

        if (format == LlamaFactoryDatasetWriter.Name && options.LlamaFactory.HasEfficientEos)
        {
            error.WriteLine($"agentrefine convert: warning: LLaMA-Factory's template '{options.LlamaFactory.Template}' has efficient_eos: under mask_history it still labels the EOS after each masked history turn, so samples train a stop after mistaken turns. Prefer a template without efficient_eos (llama3, mistral, qwen, ...), or --format llamafactory-v1, ms-swift or axolotl.");
        }
    }

    /// <summary>The summary line about the train / eval split (after the conversations line), and a warning when one side is empty.</summary>
    public static void SummarizeSplit(DatasetWriterOptions options, string output, ConversionStatistics statistics, TextWriter console, TextWriter error)
    {
        if (!options.HasEvalSplit)
        {
            return;
        }

        var c = CultureInfo.InvariantCulture;
        console.WriteLine(string.Create(c, $"  eval split:         {statistics.EvalConversations} of {statistics.Conversations} conversations ({statistics.EvalRowsOut} rows) in {EvalPath(output, options)}: whole trajectories, by record id (--eval-fraction {options.EvalFraction}, --seed {options.Seed})"));
        if (statistics.Conversations > 0 && (statistics.EvalConversations == 0 || statistics.EvalConversations == statistics.Conversations))
        {
            error.WriteLine(string.Create(c, $"agentrefine convert: warning: --eval-fraction {options.EvalFraction} put {(statistics.EvalConversations == 0 ? "none" : "all")} of the {statistics.Conversations} conversations in the eval file; the split decides per record, so a small dataset can land on one side (try another --seed)."));
        }
    }

    /// <summary>The summary lines about the side files and how to train (at the end), and the warnings about the trainer.</summary>
    public static void SummarizeFiles(string format, string output, DatasetWriterOptions options, ITrainingDatasetWriter writer, ConversionStatistics statistics, TextWriter console, TextWriter error)
    {
        var c = CultureInfo.InvariantCulture;
        switch (format)
        {
            case AgentGymDatasetWriter.Name when statistics.MaskedTurns > 0:
                error.WriteLine(string.Create(c, $"agentrefine convert: warning: AgentGym's BCTrainer ignores 'loss' and trains every gpt turn: the {statistics.MaskedTurns} masked (mistaken) turns would be trained. Formats whose trainers honour the mask: {string.Join(", ", TrainingDatasetWriters.MaskHonouringNames)}."));
                break;
            case AxolotlDatasetWriter.Name:
                console.WriteLine($"  axolotl config:     {AxolotlDatasetWriter.ConfigPath(output)}");
                console.WriteLine($"  dataset path:       {output} (absolute in the config: axolotl resolves a relative path against the folder it runs in)");
                break;
            case LlamaFactoryDatasetWriter.Name when writer is LlamaFactoryDatasetWriter llamaFactory:
                console.WriteLine($"  dataset_info.json:  {LlamaFactoryDatasetWriter.DatasetInfoPath(output)}");
                console.WriteLine(string.Create(c, $"  training config:    {LlamaFactoryDatasetWriter.TrainingConfigPath(output)} (mask_history: true, template: {options.LlamaFactory.Template}, cutoff_len: {llamaFactory.CutoffLength})"));
                console.WriteLine($"  train with:         {LlamaFactoryDatasetWriter.TrainCommand(output)}");
                break;
            case Tokenization.TokensDatasetWriter.Name when writer is Tokenization.TokensDatasetWriter tokens:
                console.WriteLine(string.Create(c, $"  tokens:             {tokens.Tokens:N0} ({tokens.Template.Name}, {tokens.Template.Tokenizer.SourceFile}), {tokens.TrainedTokens:N0} trained") + (tokens.Tokens > 0 ? string.Create(c, $" ({100.0 * tokens.TrainedTokens / tokens.Tokens:F1}%)") : string.Empty));
                if (tokens.MaxLength is { } maxLength)
                {
                    console.WriteLine(string.Create(c, $"  over max length:    {tokens.RowsOverMaxLength:N0} conversations skipped (--max-length {maxLength}), never cut"));
                }

                break;
            default:
                break;
        }
    }

    /// <summary>The container a writer with these options uses, for the first summary line.</summary>
    public static string ContainerName(string format, string output, DatasetWriterOptions options) =>
        (options.Container ?? (IsParquet(output) ? DatasetContainer.Parquet : format == AgentGymDatasetWriter.Name ? DatasetContainer.JsonArray : DatasetContainer.JsonLines)) switch
        {
            DatasetContainer.Parquet => "Parquet",
            DatasetContainer.JsonArray => "JSON array",
            _ => "JSON Lines",
        };

    private static bool IsParquet(string path) => path.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase);

    private static string EvalPath(string output, DatasetWriterOptions options) => Path.GetFullPath(options.EvalPath ?? DatasetSplit.EvalPath(output));
}
