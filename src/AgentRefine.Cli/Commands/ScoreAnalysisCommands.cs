using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using AgentRefine.Scoring;

namespace AgentRefine.Cli.Commands;

/// <summary>
/// The analysis subcommands of <c>agentrefine score</c>: <c>hotpotqa</c> (EM/F1), <c>judge</c>
/// (judge-human agreement) and <c>robustness</c> (a run across perturbed variants). Exit 0, or 2 on bad
/// usage or unreadable input (naming <c>file:line</c>), 130 when interrupted. Results go to standard
/// output or, with <c>--output</c>, to a file written atomically.
/// </summary>
internal static class ScoreAnalysisCommands
{
    public static Command HotpotQa()
    {
        var predictions = new Option<FileInfo>("--predictions") { Description = "Predictions: the official {\"answer\": {id: text}} JSON, or JSON Lines {\"id\", \"answer\"}.", Required = true };
        var gold = new Option<FileInfo>("--gold") { Description = "Gold answers: the official JSON array of {\"_id\", \"answer\"}, or JSON Lines {\"id\", \"answer\"}.", Required = true };
        var output = OutputOption();
        var command = new Command("hotpotqa", "HotpotQA exact match and F1 with the official answer normalization.\n\nExample:\n  agentrefine score hotpotqa --predictions predictions.jsonl --gold gold.jsonl") { predictions, gold, output };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var files = new CommandFiles().Input("--predictions", parseResult.GetRequiredValue(predictions)).Input("--gold", parseResult.GetRequiredValue(gold)).Output("--output", parseResult.GetValue(output));
            return await Run(parseResult, "score hotpotqa", files, async () =>
            {
                var predicted = await ReadAnswersAsync(parseResult.GetRequiredValue(predictions), cancellationToken).ConfigureAwait(false);
                var expected = await ReadAnswersAsync(parseResult.GetRequiredValue(gold), cancellationToken).ConfigureAwait(false);
                var (em, f1, count, missing) = HotpotQaMetrics.Evaluate(predicted, expected);
                return string.Create(CultureInfo.InvariantCulture, $"questions: {count}, exact match: {em * 100:F2}, F1: {f1 * 100:F2}, missing predictions: {missing.Count}") + Environment.NewLine;
            }, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    public static Command Judge()
    {
        var labels = new Option<FileInfo>("--labels") { Description = "JSON Lines {\"judge\": true|false, \"human\": true|false} (true = the turn is correct).", Required = true };
        var output = OutputOption();
        var command = new Command("judge", "Agreement of an LLM judge with human labels: when the judge says correct, when it says wrong, overall, Cohen's kappa.\n\nExample:\n  agentrefine score judge --labels labels.jsonl") { labels, output };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var file = parseResult.GetRequiredValue(labels);
            var files = new CommandFiles().Input("--labels", file).Output("--output", parseResult.GetValue(output));
            return await Run(parseResult, "score judge", files, async () =>
            {
                var pairs = new List<(bool, bool)>();
                var number = 0;
                foreach (var line in await File.ReadAllLinesAsync(file.FullName, cancellationToken).ConfigureAwait(false))
                {
                    number++;
                    if (string.IsNullOrWhiteSpace(line))
                    {
                        continue;
                    }

                    pairs.Add(ParseLabel(line, $"{file.Name}:{number}"));
                }

                var a = JudgeAgreement.From(pairs);
                static string Percent(double? value) => value is { } v ? (v * 100).ToString("F1", CultureInfo.InvariantCulture) + "%" : "n/a";
                var text = new StringWriter(CultureInfo.InvariantCulture);
                text.WriteLine($"items: {a.Total} (judge correct: {a.BothCorrect + a.JudgeCorrectHumanWrong}, judge wrong: {a.JudgeWrongHumanCorrect + a.BothWrong})");
                text.WriteLine($"confusion (judge × human): correct×correct {a.BothCorrect}, correct×wrong {a.JudgeCorrectHumanWrong}, wrong×correct {a.JudgeWrongHumanCorrect}, wrong×wrong {a.BothWrong}");
                text.WriteLine($"agreement when the judge says correct: {Percent(a.WhenJudgeSaysCorrect)}");
                text.WriteLine($"agreement when the judge says wrong:   {Percent(a.WhenJudgeSaysWrong)}");
                text.WriteLine($"overall agreement:                     {Percent(a.Overall)}");
                text.WriteLine("Cohen's kappa:                         " + (a.CohensKappa is { } k ? k.ToString("F3", CultureInfo.InvariantCulture) : "n/a"));
                return text.ToString();
            }, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    public static Command Robustness(CliEnvironment environment)
    {
        var variants = new Option<string[]>("--variant") { Description = "LABEL=FILE: an episodes file of one variant (repeat; the first is the original).", Required = true, AllowMultipleArgumentsPerToken = false };
        var task = new Option<string>("--task") { Description = "The task to compare across variants.", DefaultValueFactory = _ => "alfworld" };
        var output = OutputOption();
        var chart = new Option<FileInfo?>("--chart") { Description = "Also write a bar chart of success per variant and run (SVG)." };
        var command = new Command("robustness", "Compare runs across perturbed variants of a task: success and progress per variant, mean and population standard deviation.\n\nExample:\n  agentrefine score robustness --variant original=run.jsonl --variant perturbed=run-p1.jsonl --chart robustness.svg") { variants, task, output, chart };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var io = parseResult.InvocationConfiguration;
            var specs = new List<(string Label, FileInfo File)>();
            foreach (var spec in parseResult.GetRequiredValue(variants))
            {
                var cut = spec.IndexOf('=', StringComparison.Ordinal);
                if (cut <= 0)
                {
                    io.Error.WriteLine($"agentrefine score robustness: --variant '{spec}' is not LABEL=FILE.");
                    return CliApp.ExitUsage;
                }

                specs.Add((spec[..cut], new FileInfo(spec[(cut + 1)..])));
            }

            var files = new CommandFiles();
            foreach (var (label, file) in specs)
            {
                files.Input($"--variant {label}", file);
            }

            files.Output("--output", parseResult.GetValue(output)).Output("--chart", parseResult.GetValue(chart));
            return await Run(parseResult, "score robustness", files, async () =>
            {
                var scorer = new AgentBoardScorer();
                var taskName = parseResult.GetRequiredValue(task);
                var columns = new List<(string Label, ScoringReport Report)>();
                foreach (var (label, file) in specs)
                {
                    var aggregator = new ScoreAggregator();
                    await EpisodeFiles.ScoreAsync(environment, io.Error, "score robustness", file, scorer, e => e.Task == taskName ? e : null, aggregator.Add, cancellationToken).ConfigureAwait(false);
                    columns.Add((label, aggregator.ToReport()));
                }

                var runs = columns.SelectMany(c => c.Report.Runs.Keys).Distinct(StringComparer.Ordinal).ToList();
                var text = new StringWriter(CultureInfo.InvariantCulture);
                text.WriteLine("| run | " + string.Join(" | ", columns.Select(c => c.Label)) + " | mean | std (population) |");
                text.WriteLine("|---|" + string.Concat(Enumerable.Repeat("---:|", columns.Count + 2)));
                var chartSeries = new Dictionary<string, IReadOnlyList<double>>(StringComparer.Ordinal);
                foreach (var run in runs)
                {
                    var cells = columns.Select(c => c.Report.Runs.TryGetValue(run, out var r) && r.Tasks.TryGetValue(taskName, out var t) ? (c.Label, t.Success * 100, t.Progress * 100) : (c.Label, double.NaN, double.NaN)).ToList();
                    var summary = new RobustnessSummary(cells.Where(c => !double.IsNaN(c.Item2)).ToList());
                    text.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"| {run} | {string.Join(" | ", cells.Select(c => double.IsNaN(c.Item2) ? "–" : $"{c.Item2:F1} / {c.Item3:F1}"))} | {summary.SuccessMean:F1} / {summary.ProgressMean:F1} | {summary.SuccessStandardDeviation:F2} / {summary.ProgressStandardDeviation:F2} |"));
                    chartSeries[run] = cells.Select(c => double.IsNaN(c.Item2) ? 0 : c.Item2).ToArray();
                }

                text.WriteLine("Cells are success / progress in percent; std is the population standard deviation over the variants shown.");
                if (files.HasOutput("--chart"))
                {
                    await files.WriteAsync("--chart", SvgCharts.Bars($"{taskName}: success rate per variant", "success rate (%)", columns.Select(c => c.Label).ToArray(), chartSeries), null, cancellationToken).ConfigureAwait(false);
                }

                return text.ToString();
            }, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    private static Option<FileInfo?> OutputOption() => new("--output") { Description = "Write the result to this file (atomically: it appears only when complete) instead of standard output." };

    /// <summary>Checks the files, computes the result text and writes it to <c>--output</c> (atomically) or standard output, under <see cref="CommandGuard"/>'s rules.</summary>
    private static Task<int> Run(ParseResult parseResult, string name, CommandFiles files, Func<Task<string>> compute, CancellationToken cancellationToken)
    {
        var io = parseResult.InvocationConfiguration;
        return CommandGuard.RunAsync(io.Error, name, files, async () =>
        {
            var text = await compute().ConfigureAwait(false);
            await files.WriteAsync("--output", text, io.Output, cancellationToken).ConfigureAwait(false);
            return CliApp.ExitOk;
        }, cancellationToken);
    }

    /// <summary>Answers by id from the official JSON layouts or JSON Lines.</summary>
    private static async Task<Dictionary<string, string>> ReadAnswersAsync(FileInfo file, CancellationToken cancellationToken)
    {
        var text = await File.ReadAllTextAsync(file.FullName, cancellationToken).ConfigureAwait(false);
        var answers = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("answer", out var map) && map.ValueKind == JsonValueKind.Object)
            {
                foreach (var item in map.EnumerateObject())
                {
                    answers[item.Name] = item.Value.GetString() ?? string.Empty;
                }

                return answers;
            }

            if (root.ValueKind == JsonValueKind.Array)
            {
                var index = 0;
                foreach (var item in root.EnumerateArray())
                {
                    AddAnswer(answers, item, $"{file.Name}: item {index++}");
                }

                return answers;
            }
        }
        catch (JsonException)
        {
            // Not one JSON document: JSON Lines.
        }

        var number = 0;
        foreach (var line in text.Split('\n'))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            try
            {
                using var document = JsonDocument.Parse(line);
                AddAnswer(answers, document.RootElement, $"{file.Name}:{number}");
            }
            catch (JsonException exception)
            {
                throw new InvalidDataException($"{file.Name}:{number}: invalid JSON ({AgentRefine.Json.LlmJsonText.ShortMessage(exception)}).", exception);
            }
        }

        return answers;
    }

    private static void AddAnswer(Dictionary<string, string> answers, JsonElement item, string where)
    {
        var id = item.ValueKind == JsonValueKind.Object && (item.TryGetProperty("_id", out var v) || item.TryGetProperty("id", out v)) ? v.ToString() : null;
        var answer = item.ValueKind == JsonValueKind.Object && (item.TryGetProperty("answer", out var a) || item.TryGetProperty("prediction", out a)) && a.ValueKind == JsonValueKind.String ? a.GetString() : null;
        if (id is null || answer is null)
        {
            throw new InvalidDataException($"{where}: expected an object with \"_id\" (or \"id\") and a string \"answer\".");
        }

        answers[id] = answer;
    }

    private static (bool Judge, bool Human) ParseLabel(string line, string where)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            bool Flag(params string[] names)
            {
                foreach (var name in names)
                {
                    if (root.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False)
                    {
                        return value.GetBoolean();
                    }
                }

                throw new InvalidDataException($"{where}: '{names[0]}' is missing or not a boolean.");
            }

            return (Flag("judge", "judge_correct"), Flag("human", "human_correct"));
        }
        catch (JsonException exception)
        {
            throw new InvalidDataException($"{where}: invalid JSON ({AgentRefine.Json.LlmJsonText.ShortMessage(exception)}).", exception);
        }
    }
}
