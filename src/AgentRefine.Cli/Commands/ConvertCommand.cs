using System.CommandLine;
using System.Globalization;
using AgentRefine.Conversion;
using AgentRefine.Synthesis;
using Microsoft.Extensions.DependencyInjection;

namespace AgentRefine.Cli.Commands;

/// <summary>
/// <c>agentrefine convert</c>: records → a masked-loss dataset in one trainer's format, or
/// <c>--preview N</c> conversations with masked turns marked. Each record is verified again under the
/// verifier settings in its provenance unless <c>--min-error-refine</c> overrides the minimum. The dataset and
/// its side files appear at their paths only when complete; an output that is an input is refused.
/// Exit 0 done, 1 stopped by <c>--strict</c> at a skipped record, 2 bad usage or unreadable input (naming
/// <c>file:line</c>), 130 interrupted; on 1, 2 and 130 the outputs are left as they were.
/// </summary>
internal static class ConvertCommand
{
    private const string Name = "convert";

    private static readonly Dictionary<string, ConversionMode> Modes = new(StringComparer.Ordinal)
    {
        ["mask-errors"] = ConversionMode.MaskErroneous,
        ["train-all"] = ConversionMode.TrainAll,
        ["strip-errors"] = ConversionMode.StripErroneous,
    };

    public static Command Create(CliEnvironment environment)
    {
        var input = new Option<FileInfo>("--input") { Description = "The records file (JSON Lines from agentrefine synthesize).", Required = true };
        var output = new Option<FileInfo?>("--output") { Description = "The dataset file to write (replaced if it exists). Required unless --preview." };
        var format = new Option<string?>("--format") { Description = $"The dataset format: {string.Join(", ", TrainingDatasetWriters.Names)}, or tokens (input_ids and labels with a model's chat template and tokenizer). Required unless --preview." };
        format.AcceptOnlyFromAmong([.. TrainingDatasetWriters.Names, Tokenization.TokensDatasetWriter.Name]);
        var mode = new Option<string>("--mode") { Description = "mask-errors (the paper: mistaken turns in context, no loss), train-all (the 'w/ erroneous loss' ablation), strip-errors (mistakes and their DM replies removed).", DefaultValueFactory = _ => "mask-errors" };
        mode.AcceptOnlyFromAmong([.. Modes.Keys]);
        var template = new Option<FileInfo?>("--prompt-template") { Description = "A file with the first user message's template ({{goal}}, {{actions}}, {{completion_conditions}}, {{output_format}}, {{observation}})." };
        var system = new Option<string?>("--system-prompt") { Description = "A system message to put first in every conversation." };
        var skipInvalid = new Option<bool>("--skip-invalid") { Description = "Count and skip input lines that are not records, instead of stopping at the first one." };
        var strict = new Option<bool>("--strict") { Description = "Stop at the first record that cannot be converted (rejected, failing verification, or training no turn) instead of skipping it." };
        var preview = new Option<int?>("--preview") { Description = "Print N conversations with masked turns marked, and write nothing." };
        OptionRules.RequireAtLeast(preview, 1);
        var minErrorRefine = MinErrorRefineOption();
        var maxLineBytes = MaxLineBytesOption();
        var threads = ThreadsOption();
        var dataset = new ConvertDatasetOptions();

        var command = new Command(Name, "Convert synthesis records into a refinement-tuning dataset (masked loss on mistaken turns) for AgentGym, ms-swift, OpenAI, axolotl or LLaMA-Factory (JSON Lines, or Parquet for a .parquet --output), optionally with an eval file of held-out trajectories, or preview conversations. Exit 0 done, 1 stopped by --strict, 2 bad usage or unreadable input, 130 interrupted; outputs appear only when complete.\n\nExamples:\n  agentrefine convert --input records.jsonl --output train.jsonl --format ms-swift\n  agentrefine convert --input records.jsonl --output train.parquet --format axolotl --eval-fraction 0.05\n  agentrefine convert --input records.jsonl --output data/train.jsonl --format llamafactory --template llama3\n  agentrefine convert --input records.jsonl --output tokens.jsonl --format tokens --template llama3 --tokenizer models/Meta-Llama-3-8B-Instruct\n  agentrefine convert --input records.jsonl --preview 2")
        {
            input, output, format, mode, template, system, skipInvalid, strict, preview, minErrorRefine, maxLineBytes, threads,
        };
        foreach (var option in dataset.All)
        {
            command.Options.Add(option);
        }

        command.Validators.Add(result =>
        {
            if (result.GetResult(preview) is not null)
            {
                if (result.GetResult(output) is not null || result.GetResult(format) is not null)
                {
                    result.AddError("--preview prints conversations and writes nothing: give it without --output and --format, or drop --preview to write a dataset.");
                }
            }
            else if (result.GetResult(output) is null || result.GetResult(format) is null)
            {
                result.AddError("--output and --format are required unless --preview is given.");
            }

            dataset.Validate(result, output, format);
        });
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var io = parseResult.InvocationConfiguration;
            var inputFile = parseResult.GetRequiredValue(input);
            var outputFile = parseResult.GetValue(output);
            var formatName = parseResult.GetValue(format);
            var writerOptions = dataset.WriterOptions(parseResult);
            var files = new CommandFiles()
                .Input("--input", inputFile)
                .Input("--prompt-template", parseResult.GetValue(template));
            if (outputFile is not null && formatName is not null)
            {
                files.Output("--output", outputFile);
                foreach (var (label, path) in ConvertDatasetOptions.Outputs(formatName, outputFile.FullName, writerOptions))
                {
                    files.Output(label, new FileInfo(path));
                }
            }

            return await CommandGuard.RunAsync(io.Error, Name, files, async () =>
            {
                string? templateText = null;
                if (parseResult.GetValue(template) is { } templateFile)
                {
                    if (!InputFile.TryRead(templateFile, "prompt template", Json.JsonReadLimits.Default, out var text, out var message))
                    {
                        io.Error.WriteLine($"agentrefine convert: {message}");
                        return CliApp.ExitUsage;
                    }

                    if (string.IsNullOrWhiteSpace(text))
                    {
                        io.Error.WriteLine($"agentrefine convert: the prompt template file '{templateFile.FullName}' is empty: every conversation would start with an empty user message. Give a template with {{{{goal}}}} and {{{{actions}}}}, or drop --prompt-template for the default.");
                        return CliApp.ExitUsage;
                    }

                    templateText = text;
                }

                using var services = CliServices.Build(o => o.Conversion = new ConversionOptions
                {
                    Mode = Modes[parseResult.GetRequiredValue(mode)],
                    PromptTemplate = templateText,
                    SystemPrompt = parseResult.GetValue(system),
                    StopOnFirstSkip = parseResult.GetValue(strict),
                    MinErrorRefineTurns = parseResult.GetValue(minErrorRefine),
                    MaxDegreeOfParallelism = parseResult.GetValue(threads),
                });
                RefinementTuningConverter converter;
                try
                {
                    converter = services.GetRequiredService<RefinementTuningConverter>();
                }
                catch (FormatException exception)
                {
                    io.Error.WriteLine($"agentrefine convert: {exception.Message}");
                    return CliApp.ExitUsage;
                }

                var limits = RecordFiles.Limits(parseResult.GetValue(maxLineBytes));
                try
                {
                    if (parseResult.GetValue(preview) is { } count)
                    {
                        return await PreviewAsync(inputFile.FullName, converter, count, parseResult.GetRequiredValue(mode), limits, io.Output, cancellationToken).ConfigureAwait(false);
                    }

                    Func<ITrainingDatasetWriter> createWriter = () => TrainingDatasetWriters.Create(formatName!, outputFile!.FullName, writerOptions);
                    if (formatName == Tokenization.TokensDatasetWriter.Name)
                    {
                        // The tokenizer is read before any record, so a bad folder is named at once and nothing is written.
                        Tokenization.ChatTemplate chat;
                        try
                        {
                            chat = Tokenization.ChatTemplates.Create(parseResult.GetValue(dataset.Template)!, Tokenization.ModelTokenizer.Load(parseResult.GetValue(dataset.Tokenizer)!.FullName));
                        }
                        catch (Exception exception) when (exception is IOException or InvalidDataException or ArgumentException)
                        {
                            io.Error.WriteLine($"agentrefine convert: {exception.Message}");
                            return CliApp.ExitUsage;
                        }

                        var maxLength = parseResult.GetValue(dataset.MaxLength);
                        createWriter = () => new Tokenization.TokensDatasetWriter(outputFile!.FullName, chat, maxLength, writerOptions);
                    }

                    return await ConvertAsync(environment, inputFile, converter, formatName!, outputFile!.FullName, writerOptions, createWriter, parseResult.GetValue(skipInvalid), parseResult.GetRequiredValue(mode), limits, io.Output, io.Error, cancellationToken).ConfigureAwait(false);
                }
                catch (ConversionStoppedException exception)
                {
                    io.Error.WriteLine($"agentrefine convert: stopped (--strict): {exception.Message}");
                    io.Error.WriteLine($"agentrefine convert: {files.Outcome()}.");
                    return CliApp.ExitNotAccepted;
                }
                catch (Exception exception) when (exception is DatasetFormatException or ArgumentException)
                {
                    // A row a format cannot hold, or a writer setting it refuses (before any file is created).
                    io.Error.WriteLine($"agentrefine convert: {(exception is ArgumentException { ParamName: { } parameter } ? exception.Message.Replace($" (Parameter '{parameter}')", string.Empty, StringComparison.Ordinal) : exception.Message)}");
                    io.Error.WriteLine($"agentrefine convert: {files.Outcome()}.");
                    return CliApp.ExitUsage;
                }
            }, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    /// <summary>
    /// <c>--min-error-refine N</c> of <c>convert</c> and <c>stats</c>: a minimum that overrides every
    /// record's own (the one in its provenance, else the default).
    /// </summary>
    internal static Option<int?> MinErrorRefineOption()
    {
        var option = new Option<int?>("--min-error-refine")
        {
            Description = "Verify every record with at least N error-refine turns required, instead of the minimum it was synthesized under (its provenance; 2 for records that name none).",
        };
        OptionRules.RequireAtLeast(option, 0);
        return option;
    }

    /// <summary><c>--threads N</c> of <c>convert</c> and <c>stats</c>: how many records are verified at once (the output is the same whatever N).</summary>
    internal static Option<int?> ThreadsOption()
    {
        var option = new Option<int?>("--threads")
        {
            Description = "Parse and verify N records at once (the output is the same whatever N). Default: every core.",
        };
        OptionRules.RequireAtLeast(option, 1);
        return option;
    }

    /// <summary><c>--max-line-bytes N</c> of <c>convert</c> and <c>stats</c>: the longest record line read.</summary>
    internal static Option<long?> MaxLineBytesOption()
    {
        var option = new Option<long?>("--max-line-bytes")
        {
            Description = "The longest record line read, in bytes (longer lines are unreadable, named with file:line). Default 16,000,000.",
        };
        OptionRules.RequireAtLeast(option, 1);
        return option;
    }

    private static async Task<int> ConvertAsync(CliEnvironment environment, FileInfo input, RefinementTuningConverter converter, string format, string output, DatasetWriterOptions writerOptions, Func<ITrainingDatasetWriter> createWriter, bool skipInvalid, string mode, Json.JsonReadLimits limits, TextWriter console, TextWriter error, CancellationToken cancellationToken)
    {
        ConvertDatasetOptions.WarnBefore(format, output, writerOptions, error);
        ITrainingDatasetWriter? written = null;
        var statistics = await RecordFiles.ReadAsync(environment, error, Name, input, async (stream, progress) =>
        {
            var writer = written = createWriter();
            await using (writer.ConfigureAwait(false))
            {
                return await DatasetConversion.RunAsync(stream, input.Name, converter, writer, skipInvalid, limits, progress, cancellationToken).ConfigureAwait(false);
            }
        }).ConfigureAwait(false);

        var c = CultureInfo.InvariantCulture;
        console.WriteLine($"Converted {input.Name} to {output} ({format}, {mode}, {ConvertDatasetOptions.ContainerName(format, output, writerOptions)}).");
        if (statistics.RecordsIn == 0)
        {
            error.WriteLine($"agentrefine convert: warning: {input.Name} holds no records; the dataset is empty.");
        }
        else if (statistics.Conversations == 0)
        {
            error.WriteLine($"agentrefine convert: warning: none of the {statistics.RecordsIn.ToString("N0", c)} records could be converted; the dataset is empty (see 'skipped' below).");
        }

        console.WriteLine(string.Create(c, $"  records in:         {statistics.RecordsIn}"));
        console.WriteLine(string.Create(c, $"  conversations:      {statistics.Conversations} ({statistics.RowsOut} rows, {statistics.BytesOut:N0} bytes)"));
        if (format == LlamaFactoryDatasetWriter.Name && statistics.Conversations > 0)
        {
            console.WriteLine(string.Create(c, $"  llamafactory:       one sample per trained turn ({(double)statistics.RowsOut / statistics.Conversations:F1} rows per conversation); train with mask_history: true (set in the training config)"));
        }

        ConvertDatasetOptions.SummarizeSplit(writerOptions, output, statistics, console, error);

        var skipped = statistics.SkippedByReason.Values.Sum();
        console.WriteLine(string.Create(c, $"  skipped:            {skipped}") + (skipped == 0 ? string.Empty : " (" + string.Join(", ", statistics.SkippedByReason.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => string.Create(c, $"{p.Key} {p.Value}"))) + ")"));
        const int listed = 20;
        foreach (var skip in statistics.Skipped.Take(listed))
        {
            console.WriteLine($"    {skip.Id}  {skip.SkipReason}");
        }

        if (skipped > listed)
        {
            console.WriteLine(string.Create(c, $"    … and {skipped - listed:N0} more"));
        }

        console.WriteLine(string.Create(c, $"  assistant turns:    {statistics.TrainedTurns} trained, {statistics.MaskedTurns} masked"));
        console.WriteLine("  mistaken turns:     " + string.Join(", ", statistics.ErroneousTurnsByType.Select(p => string.Create(c, $"{p.Key} {p.Value}"))));
        ConvertDatasetOptions.SummarizeFiles(format, output, writerOptions, written!, statistics, console, error);
        return CliApp.ExitOk;
    }

    private static async Task<int> PreviewAsync(string input, RefinementTuningConverter converter, int count, string mode, Json.JsonReadLimits limits, TextWriter console, CancellationToken cancellationToken)
    {
        var shown = 0;
        await foreach (var entry in SynthesisRecordReader.ReadAsync(input, limits, cancellationToken).ConfigureAwait(false))
        {
            if (shown == count)
            {
                break;
            }

            if (entry.Record is null)
            {
                console.WriteLine($"(skipped) {entry.Error}");
                continue;
            }

            var outcome = converter.Convert(entry.Record, cancellationToken);
            if (outcome.Conversation is not { } conversation)
            {
                console.WriteLine($"(skipped) {outcome.Id}: {outcome.SkipReason}");
                continue;
            }

            shown++;
            console.WriteLine($"=== {shown}/{count}  {conversation.Id}  ({mode}: {conversation.TrainedTurns} trained, {conversation.MaskedTurns} masked)");
            foreach (var message in conversation.Messages)
            {
                var label = message.Role switch
                {
                    TrainingRole.System => "[system]",
                    TrainingRole.User => "[user]",
                    _ when message.Train => message.IsErroneous ? $"[assistant · TRAINED · mistake: {string.Join(", ", message.ErrorTypes)}]" : "[assistant · TRAINED]",
                    _ => $"[assistant · MASKED, no loss · mistake: {string.Join(", ", message.ErrorTypes)}]",
                };
                console.WriteLine(label);
                console.WriteLine(message.Content);
                console.WriteLine();
            }
        }

        return CliApp.ExitOk;
    }
}
