using System.CommandLine;
using System.Globalization;
using System.Text;
using AgentRefine.Scoring;
using Spectre.Console;

namespace AgentRefine.Cli.Commands;

/// <summary>
/// <c>agentrefine score</c>: AgentBoard-style success, progress and grounding from an episodes file
/// (or AgentBoard's own logs), as JSON, Markdown or CSV; subcommands for HotpotQA, judge agreement and
/// robustness. Episodes are streamed and aggregated as they are read, so memory stays flat; outputs
/// are written atomically. Exit 0, 2 on bad usage or unreadable input, 130 when interrupted.
/// </summary>
internal static class ScoreCommand
{
    private const string Name = "score";

    public static Command Create(CliEnvironment environment)
    {
        var episodes = new Option<FileInfo?>("--episodes") { Description = "Episodes JSON Lines ({\"run\", \"task\", \"id\", \"difficulty\", \"goal\", \"subgoals\", \"steps\": [...]} a line)." };
        var logs = new Option<DirectoryInfo?>("--agentboard-logs") { Description = "An AgentBoard run folder (logs/<task>.jsonl, optional data/<task>/test.jsonl for subgoals)." };
        var run = new Option<string?>("--run") { Description = "The run name for episodes that name none (and for AgentBoard logs)." };
        var heldIn = new Option<string?>("--held-in") { Description = "Comma-separated tasks whose environment the training data came from (marked in Markdown)." };
        var format = new Option<string>("--format") { Description = "markdown, json or csv.", DefaultValueFactory = _ => "markdown" };
        format.AcceptOnlyFromAmong("markdown", "json", "csv");
        var output = new Option<FileInfo?>("--output") { Description = "Write the report to this file (atomically: it appears only when complete) instead of standard output." };
        var chart = new Option<FileInfo?>("--chart") { Description = "Also write the long-range progress curve per run as a self-contained SVG file." };

        var command = new Command(Name, "Score agent episodes the AgentBoard way: success rate, progress rate, grounding accuracy, per task, category and run.\n\nExamples:\n  agentrefine score --episodes episodes.jsonl\n  agentrefine score --agentboard-logs runs/llama3-8b --format json --output scores.json")
        {
            episodes, logs, run, heldIn, format, output, chart,
            ScoreAnalysisCommands.HotpotQa(),
            ScoreAnalysisCommands.Judge(),
            ScoreAnalysisCommands.Robustness(environment),
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var io = parseResult.InvocationConfiguration;
            if ((parseResult.GetValue(episodes) is null) == (parseResult.GetValue(logs) is null))
            {
                io.Error.WriteLine("agentrefine: Give exactly one of --episodes and --agentboard-logs (or a subcommand: hotpotqa, judge, robustness).");
                return CliApp.ExitUsage;
            }

            var files = new CommandFiles()
                .Input("--episodes", parseResult.GetValue(episodes))
                .InputFolder("--agentboard-logs", parseResult.GetValue(logs), AgentBoardLogReader.RunFiles)
                .Output("--output", parseResult.GetValue(output))
                .Output("--chart", parseResult.GetValue(chart));
            var settings = new Settings(
                parseResult.GetValue(episodes),
                parseResult.GetValue(logs),
                parseResult.GetValue(run),
                (parseResult.GetValue(heldIn) ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal),
                parseResult.GetRequiredValue(format),
                parseResult.GetValue(output));
            return await CommandGuard.RunAsync(io.Error, Name, files, () => RunAsync(settings, files, environment, io.Output, io.Error, cancellationToken), cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    private sealed record Settings(FileInfo? Episodes, DirectoryInfo? Logs, string? Run, HashSet<string> HeldIn, string Format, FileInfo? Output);

    private static async Task<int> RunAsync(Settings settings, CommandFiles files, CliEnvironment environment, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var scorer = new AgentBoardScorer();
        var aggregator = new ScoreAggregator();
        var warnings = new WarningList();
        using var spool = settings.Format == "json" ? EpisodeScoreSpool.Create() : null;
        var environmentProgress = false;
        void Add(EpisodeScore score)
        {
            environmentProgress |= score.IsEnvironmentProgress;
            aggregator.Add(score);
            spool?.Add(score);
            warnings.Add(score);
        }

        if (settings.Episodes is { } file)
        {
            await EpisodeFiles.ScoreAsync(environment, error, Name, file, scorer, e => settings.Run is not null && e.Run == Episode.DefaultRun ? e with { Run = settings.Run } : e, Add, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            foreach (var score in await AgentBoardLogReader.ScoreRunAsync(settings.Logs!.FullName, settings.Run ?? Episode.DefaultRun, scorer, cancellationToken).ConfigureAwait(false))
            {
                Add(score);
            }
        }

        warnings.Write(error, Name);
        if (environmentProgress)
        {
            error.WriteLine($"agentrefine {Name}: note: tasks without an AgentBoard rule (agentgym/*, script) are scored from what their environment reported: their progress and success are the environment's own measures, not AgentBoard's progress rate.");
        }
        var report = aggregator.ToReport();
        if (files.HasOutput("--chart"))
        {
            await files.WriteAsync("--chart", SvgCharts.LongRange(report), null, cancellationToken).ConfigureAwait(false);
        }

        var toFile = files.HasOutput("--output");
        if (settings.Format == "json")
        {
            var newLine = Encoding.UTF8.GetBytes(Environment.NewLine);
            await files.WriteAsync("--output", async stream =>
            {
                await ScoringReportWriter.WriteJsonAsync(stream, report.Runs, spool!.ReadAsync(cancellationToken), cancellationToken: cancellationToken).ConfigureAwait(false);
                await stream.WriteAsync(newLine, cancellationToken).ConfigureAwait(false);
            }, output, cancellationToken).ConfigureAwait(false);
        }
        else if (settings.Format == "csv")
        {
            await files.WriteAsync("--output", ScoringReportWriter.ToCsv(report), output, cancellationToken).ConfigureAwait(false);
        }
        else if (!toFile && environment.OutputTerminal is { } terminal)
        {
            // A terminal shows a table, not Markdown source: held-in cells are underlined instead of wrapped in <ins>.
            terminal.Write(Render(ScoringReportWriter.ToTable(report, settings.HeldIn)));
        }
        else
        {
            await files.WriteAsync("--output", ScoringReportWriter.ToMarkdown(report, settings.HeldIn), output, cancellationToken).ConfigureAwait(false);
        }

        if (toFile)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Scored {aggregator.ScoredCount:N0} of {aggregator.Count:N0} episodes ({report.Runs.Count:N0} runs); report written to '{settings.Output!.FullName}'."));
        }

        return CliApp.ExitOk;
    }

    /// <summary>
    /// The score table for a terminal: transposed (one line per task and measure, one column per run) so
    /// it fits a terminal's width; held-in cells underlined instead of wrapped in <c>&lt;ins&gt;</c>.
    /// </summary>
    internal static Table Render(ScoringTable scores)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumn(new TableColumn(string.Empty));
        foreach (var row in scores.Rows)
        {
            table.AddColumn(new TableColumn(Markup.Escape(row[0].Text)) { Alignment = Justify.Right });
        }

        for (var column = 1; column < scores.Columns.Count; column++)
        {
            table.AddRow([Markup.Escape(scores.Columns[column]), .. scores.Rows.Select(row => row[column].IsHeldIn ? $"[underline]{Markup.Escape(row[column].Text)}[/]" : Markup.Escape(row[column].Text))]);
        }

        var anyHeldIn = scores.Rows.Any(row => row.Any(cell => cell.IsHeldIn));
        return table.Caption("Percent." + (anyHeldIn ? " Underlined cells: held-in tasks." : string.Empty));
    }
}
