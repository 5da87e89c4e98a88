using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using AgentRefine.Scoring;

namespace AgentRefine.Cli.Commands;

/// <summary>
/// The analysis subcommands of <c>agentrefine score</c>: <c>hotpotqa</c> (EM/F1), <c>judge</c>
/// (judge-human agreement) and <c>robustness</c> (a run across perturbed variants). Exit 0, or 2 on bad
/// usage or unreadable input (naming <c>file:line</c>).
/// </summary>
internal static class ScoreAnalysisCommands
{
    public static Command HotpotQa()
    {
        var predictions = new Option<FileInfo>("--predictions") { Description = "Predictions: the official {\"answer\": {id: text}} JSON, or JSON Lines {\"id\", \"answer\"}.", Required = true };
        var gold = new Option<FileInfo>("--gold") { Description = "Gold answers: the official JSON array of {\"_id\", \"answer\"}, or JSON Lines {\"id\", \"answer\"}.", Required = true };
        var command = new Command("hotpotqa", "HotpotQA exact match and F1 with the official answer normalization.") { predictions, gold };
        command.SetAction(async (parseResult, cancellationToken) => await Guarded(parseResult, "score hotpotqa", async io =>
        {
            var predicted = await ReadAnswersAsync(parseResult.GetRequiredValue(predictions), cancellationToken).ConfigureAwait(false);
            var expected = await ReadAnswersAsync(parseResult.GetRequiredValue(gold), cancellationToken).ConfigureAwait(false);
            var (em, f1, count, missing) = HotpotQaMetrics.Evaluate(predicted, expected);
            io.Output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"questions: {count}, exact match: {em * 100:F2}, F1: {f1 * 100:F2}, missing predictions: {missing.Count}"));
        }).ConfigureAwait(false));
        return command;
    }

    public static Command Judge()
    {
        var labels = new Option<FileInfo>("--labels") { Description = "JSON Lines {\"judge\": true|false, \"human\": true|false} (true = the turn is correct).", Required = true };
        var command = new Command("judge", "Agreement of an LLM judge with human labels: when the judge says correct, when it says wrong, overall, Cohen's kappa.") { labels };
        command.SetAction(async (parseResult, cancellationToken) => await Guarded(parseResult, "score judge", async io =>
        {
            var file = parseResult.GetRequiredValue(labels);
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
            io.Output.WriteLine($"items: {a.Total} (judge correct: {a.BothCorrect + a.JudgeCorrectHumanWrong}, judge wrong: {a.JudgeWrongHumanCorrect + a.BothWrong})");
            io.Output.WriteLine($"confusion (judge × human): correct×correct {a.BothCorrect}, correct×wrong {a.JudgeCorrectHumanWrong}, wrong×correct {a.JudgeWrongHumanCorrect}, wrong×wrong {a.BothWrong}");
            io.Output.WriteLine($"agreement when the judge says correct: {Percent(a.WhenJudgeSaysCorrect)}");
            io.Output.WriteLine($"agreement when the judge says wrong:   {Percent(a.WhenJudgeSaysWrong)}");
            io.Output.WriteLine($"overall agreement:                     {Percent(a.Overall)}");
            io.Output.WriteLine("Cohen's kappa:                         " + (a.CohensKappa is { } k ? k.ToString("F3", CultureInfo.InvariantCulture) : "n/a"));
        }).ConfigureAwait(false));
        return command;
    }

    public static Command Robustness()
    {
        var variants = new Option<string[]>("--variant") { Description = "LABEL=FILE: an episodes file of one variant (repeat; the first is the original).", Required = true, AllowMultipleArgumentsPerToken = false };
        var task = new Option<string>("--task") { Description = "The task to compare across variants.", DefaultValueFactory = _ => "alfworld" };
        var chart = new Option<FileInfo?>("--chart") { Description = "Also write a bar chart of success per variant and run (SVG)." };
        var command = new Command("robustness", "Compare runs across perturbed variants of a task: success and progress per variant, mean and population standard deviation.") { variants, task, chart };
        command.SetAction(async (parseResult, cancellationToken) => await Guarded(parseResult, "score robustness", async io =>
        {
            var scorer = new AgentBoardScorer();
            var taskName = parseResult.GetRequiredValue(task);
            var columns = new List<(string Label, ScoringReport Report)>();
            foreach (var spec in parseResult.GetRequiredValue(variants))
            {
                var cut = spec.IndexOf('=', StringComparison.Ordinal);
                if (cut <= 0)
                {
                    throw new InvalidDataException($"--variant '{spec}' is not LABEL=FILE.");
                }

                var episodes = await EpisodeReader.ReadAsync(spec[(cut + 1)..], cancellationToken).ToListAsync(cancellationToken).ConfigureAwait(false);
                columns.Add((spec[..cut], scorer.Score(episodes.Where(e => e.Task == taskName))));
            }

            var runs = columns.SelectMany(c => c.Report.Runs.Keys).Distinct(StringComparer.Ordinal).ToList();
            io.Output.WriteLine("| run | " + string.Join(" | ", columns.Select(c => c.Label)) + " | mean | std (population) |");
            io.Output.WriteLine("|---|" + string.Concat(Enumerable.Repeat("---:|", columns.Count + 2)));
            var chartSeries = new Dictionary<string, IReadOnlyList<double>>(StringComparer.Ordinal);
            foreach (var run in runs)
            {
                var cells = columns.Select(c => c.Report.Runs.TryGetValue(run, out var r) && r.Tasks.TryGetValue(taskName, out var t) ? (c.Label, t.Success * 100, t.Progress * 100) : (c.Label, double.NaN, double.NaN)).ToList();
                var summary = new RobustnessSummary(cells.Where(c => !double.IsNaN(c.Item2)).ToList());
                io.Output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {run} | {string.Join(" | ", cells.Select(c => double.IsNaN(c.Item2) ? "–" : $"{c.Item2:F1} / {c.Item3:F1}"))} | {summary.SuccessMean:F1} / {summary.ProgressMean:F1} | {summary.SuccessStandardDeviation:F2} / {summary.ProgressStandardDeviation:F2} |"));
                chartSeries[run] = cells.Select(c => double.IsNaN(c.Item2) ? 0 : c.Item2).ToArray();
            }

            io.Output.WriteLine("Cells are success / progress in percent; std is the population standard deviation over the variants shown.");
            if (parseResult.GetValue(chart) is { } chartFile)
            {
                await File.WriteAllTextAsync(chartFile.FullName, SvgCharts.Bars($"{taskName}: success rate per variant", "success rate (%)", columns.Select(c => c.Label).ToArray(), chartSeries), cancellationToken).ConfigureAwait(false);
            }
        }).ConfigureAwait(false));
        return command;
    }

    private static async Task<int> Guarded(ParseResult parseResult, string name, Func<InvocationConfiguration, Task> body)
    {
        var io = parseResult.InvocationConfiguration;
        try
        {
            await body(io).ConfigureAwait(false);
            return CliApp.ExitOk;
        }
        catch (Exception exception) when (exception is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            io.Error.WriteLine($"agentrefine {name}: {exception.Message}");
            return CliApp.ExitUsage;
        }
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
