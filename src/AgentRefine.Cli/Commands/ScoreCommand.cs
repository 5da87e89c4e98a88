using System.CommandLine;
using AgentRefine.Scoring;

namespace AgentRefine.Cli.Commands;

/// <summary>
/// <c>agentrefine score</c>: AgentBoard-style success, progress and grounding from an episodes file
/// (or AgentBoard's own logs), as JSON, Markdown or CSV; subcommands for HotpotQA, judge agreement and
/// robustness. Exit 0, or 2 on bad usage or unreadable input.
/// </summary>
internal static class ScoreCommand
{
    public static Command Create()
    {
        var episodes = new Option<FileInfo?>("--episodes") { Description = "Episodes JSON Lines ({\"run\", \"task\", \"id\", \"difficulty\", \"goal\", \"subgoals\", \"steps\": [...]} a line)." };
        var logs = new Option<DirectoryInfo?>("--agentboard-logs") { Description = "An AgentBoard run folder (logs/<task>.jsonl, optional data/<task>/test.jsonl for subgoals)." };
        var run = new Option<string?>("--run") { Description = "The run name for episodes that name none (and for AgentBoard logs)." };
        var heldIn = new Option<string?>("--held-in") { Description = "Comma-separated tasks whose environment the training data came from (marked in Markdown)." };
        var format = new Option<string>("--format") { Description = "markdown, json or csv.", DefaultValueFactory = _ => "markdown" };
        format.AcceptOnlyFromAmong("markdown", "json", "csv");
        var chart = new Option<FileInfo?>("--chart") { Description = "Also write the long-range progress curve per run as a self-contained SVG file." };

        var command = new Command("score", "Score agent episodes the AgentBoard way: success rate, progress rate, grounding accuracy, per task, category and run.")
        {
            episodes, logs, run, heldIn, format, chart,
            ScoreAnalysisCommands.HotpotQa(),
            ScoreAnalysisCommands.Judge(),
            ScoreAnalysisCommands.Robustness(),
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var io = parseResult.InvocationConfiguration;
            if ((parseResult.GetValue(episodes) is null) == (parseResult.GetValue(logs) is null))
            {
                io.Error.WriteLine("agentrefine: Give exactly one of --episodes and --agentboard-logs (or a subcommand: hotpotqa, judge, robustness).");
                return CliApp.ExitUsage;
            }

            var scorer = new AgentBoardScorer();
            ScoringReport report;
            try
            {
                if (parseResult.GetValue(episodes) is { } file)
                {
                    var runName = parseResult.GetValue(run);
                    var loaded = await EpisodeReader.ReadAsync(file.FullName, cancellationToken).ToListAsync(cancellationToken).ConfigureAwait(false);
                    report = scorer.Score(loaded.Select(e => runName is not null && e.Run == Episode.DefaultRun ? e with { Run = runName } : e));
                }
                else
                {
                    report = AgentBoardScorer.Aggregate(await AgentBoardLogReader.ScoreRunAsync(parseResult.GetValue(logs)!.FullName, parseResult.GetValue(run) ?? Episode.DefaultRun, scorer, cancellationToken).ConfigureAwait(false));
                }
            }
            catch (Exception exception) when (exception is InvalidDataException or IOException or UnauthorizedAccessException)
            {
                io.Error.WriteLine($"agentrefine score: {exception.Message}");
                return CliApp.ExitUsage;
            }

            foreach (var problem in report.Episodes.SelectMany(e => e.Diagnostics.Select(d => $"{e.Run}/{e.Task}/{e.Id}: {d}")).Distinct(StringComparer.Ordinal))
            {
                io.Error.WriteLine($"agentrefine score: warning: {problem}");
            }

            var held = (parseResult.GetValue(heldIn) ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
            io.Output.Write(parseResult.GetRequiredValue(format) switch
            {
                "json" => ScoringReportWriter.ToJson(report) + Environment.NewLine,
                "csv" => ScoringReportWriter.ToCsv(report),
                _ => ScoringReportWriter.ToMarkdown(report, held),
            });
            if (parseResult.GetValue(chart) is { } chartFile)
            {
                await File.WriteAllTextAsync(chartFile.FullName, SvgCharts.LongRange(report), cancellationToken).ConfigureAwait(false);
            }

            return CliApp.ExitOk;
        });
        return command;
    }
}
