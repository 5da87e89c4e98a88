using AgentRefine.Json;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace AgentRefine.Scoring;

/// <summary>Writes a <see cref="ScoringReport"/> as JSON (the documented contract), Markdown (the paper's table layout) or CSV.</summary>
public static class ScoringReportWriter
{
    private const string Missing = "–";

    /// <summary>
    /// The JSON contract: <c>{"runs": {"&lt;run&gt;": {"tasks": {"&lt;task&gt;": {"episodes", "success", "progress", "grounding",
    /// "success_easy", "success_hard", "progress_easy", "progress_hard"}}, "categories": {...}, "long_range": [...]}},
    /// "episodes": [{"run", "task", "id", "success", "progress", "grounding", "score_change_record"}]}</c>; fractions in [0, 1].
    /// </summary>
    /// <param name="report">The report.</param>
    /// <param name="indented">Whether to indent.</param>
    /// <returns>The JSON text.</returns>
    public static string ToJson(ScoringReport report, bool indented = true)
    {
        ArgumentNullException.ThrowIfNull(report);
        return CanonicalJson.Write(writer =>
        {
            WriteStart(writer, report.Runs);
            foreach (var e in report.Episodes)
            {
                WriteEpisode(writer, e);
            }

            WriteEnd(writer);
        }, indented);
    }

    /// <summary>
    /// Writes the same JSON as <see cref="ToJson"/>, byte for byte, as UTF-8 to a stream while the episodes
    /// arrive: the aggregates first (from a <see cref="ScoreAggregator"/>, say), then each episode as it is
    /// read, so a report over millions of episodes never has to be held in memory.
    /// </summary>
    /// <param name="destination">The stream to write to (not disposed; flushed at the end).</param>
    /// <param name="runs">The aggregates per run (<see cref="ScoringReport.Runs"/>).</param>
    /// <param name="episodes">The episodes' scores, in order; unscored ones are skipped, as in <see cref="ToJson"/>.</param>
    /// <param name="indented">Whether to indent.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when everything is written.</returns>
    public static async Task WriteJsonAsync(Stream destination, IReadOnlyDictionary<string, RunScores> runs, IAsyncEnumerable<EpisodeScore> episodes, bool indented = true, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(episodes);
        var writer = new Utf8JsonWriter(destination, CanonicalJson.WriterOptions(indented));
        await using (writer.ConfigureAwait(false))
        {
            WriteStart(writer, runs);
            await foreach (var e in episodes.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                WriteEpisode(writer, e);
                if (writer.BytesPending > 1 << 16)
                {
                    await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
                }
            }

            WriteEnd(writer);
            await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The paper's table as Markdown: one row per run, columns task × (Success, Progress) in percent with one
    /// decimal, held-in cells wrapped in <c>&lt;ins&gt;</c>, then the average over the tasks shown and,
    /// when some tasks are held in, the average over the held-out tasks (the layout of <see cref="ToTable"/>).
    /// </summary>
    /// <param name="report">The report.</param>
    /// <param name="heldIn">Tasks whose environment the training data came from.</param>
    /// <returns>The Markdown table.</returns>
    public static string ToMarkdown(ScoringReport report, IReadOnlySet<string>? heldIn = null)
    {
        var table = ToTable(report, heldIn);
        var text = new StringBuilder();
        text.Append("| ").AppendJoin(" | ", table.Columns).Append(" |\n");
        text.Append("|---|").Append(string.Concat(Enumerable.Repeat("---:|", table.Columns.Count - 1))).Append('\n');
        foreach (var row in table.Rows)
        {
            text.Append("| ").AppendJoin(" | ", row.Select(cell => cell.IsHeldIn ? $"<ins>{cell.Text}</ins>" : cell.Text)).Append(" |\n");
        }

        return text.ToString();
    }

    /// <summary>
    /// The paper's table as data, for a renderer of its own (a terminal, a spreadsheet): the columns
    /// <c>run</c>, then per task <c>&lt;task&gt; Success</c> and <c>&lt;task&gt; Progress</c> (held-in tasks
    /// marked <c>(held-in)</c>), <c>average Success</c>, <c>average Progress</c> and, when some tasks are
    /// held in and some are not, the held-out averages. Cells are percentages with one decimal, or
    /// <c>–</c> where a run did not run a task; held-in cells are flagged.
    /// </summary>
    /// <param name="report">The report.</param>
    /// <param name="heldIn">Tasks whose environment the training data came from.</param>
    /// <returns>The table.</returns>
    public static ScoringTable ToTable(ScoringReport report, IReadOnlySet<string>? heldIn = null)
    {
        ArgumentNullException.ThrowIfNull(report);
        heldIn ??= new HashSet<string>(StringComparer.Ordinal);
        var tasks = Tasks(report);
        var heldOut = tasks.Where(t => !heldIn.Contains(t)).ToList();
        var showHeldOut = heldIn.Count > 0 && heldOut.Count > 0;
        var columns = new List<string> { "run" };
        foreach (var task in tasks)
        {
            var mark = heldIn.Contains(task) ? " (held-in)" : string.Empty;
            columns.Add($"{task}{mark} Success");
            columns.Add($"{task}{mark} Progress");
        }

        columns.AddRange(["average Success", "average Progress"]);
        if (showHeldOut)
        {
            columns.AddRange(["held-out average Success", "held-out average Progress"]);
        }

        var rows = new List<IReadOnlyList<ScoringTableCell>>();
        foreach (var (run, scores) in report.Runs)
        {
            var row = new List<ScoringTableCell> { new(run, false) };
            foreach (var task in tasks)
            {
                row.AddRange(scores.Tasks.TryGetValue(task, out var t)
                    ? [Cell(t.Success, heldIn.Contains(task)), Cell(t.Progress, heldIn.Contains(task))]
                    : [new(Missing, false), new(Missing, false)]);
            }

            AddAverage(row, scores, tasks);
            if (showHeldOut)
            {
                AddAverage(row, scores, heldOut);
            }

            rows.Add(row);
        }

        return new ScoringTable(columns, rows);
    }

    /// <summary>One CSV row per run and task: <c>run,task,episodes,success,progress,grounding,success_easy,success_hard,progress_easy,progress_hard</c> (fractions; empty when undefined).</summary>
    /// <param name="report">The report.</param>
    /// <returns>The CSV text.</returns>
    public static string ToCsv(ScoringReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var text = new StringBuilder("run,task,episodes,success,progress,grounding,success_easy,success_hard,progress_easy,progress_hard\n");
        foreach (var (run, scores) in report.Runs)
        {
            foreach (var (task, t) in scores.Tasks)
            {
                text.Append(CultureInfo.InvariantCulture, $"{Csv(run)},{Csv(task)},{t.Episodes},{t.Success:R},{t.Progress:R},{t.Grounding:R},{t.SuccessEasy:R},{t.SuccessHard:R},{t.ProgressEasy:R},{t.ProgressHard:R}\n");
            }
        }

        return text.ToString();
    }

    private static List<string> Tasks(ScoringReport report)
    {
        var known = new[] { "alfworld", "babyai", "scienceworld", "pddl", "jericho" };
        var present = report.Runs.Values.SelectMany(r => r.Tasks.Keys).Distinct(StringComparer.Ordinal).ToList();
        return [.. known.Where(present.Contains), .. present.Where(t => !known.Contains(t)).Order(StringComparer.Ordinal)];
    }

    private static void AddAverage(List<ScoringTableCell> row, RunScores scores, List<string> tasks)
    {
        var shown = tasks.Where(scores.Tasks.ContainsKey).Select(t => scores.Tasks[t]).ToList();
        row.AddRange(shown.Count == 0
            ? [new(Missing, false), new(Missing, false)]
            : [Cell(shown.Average(t => t.Success), false), Cell(shown.Average(t => t.Progress), false)]);
    }

    private static ScoringTableCell Cell(double fraction, bool heldIn) => new((fraction * 100).ToString("F1", CultureInfo.InvariantCulture), heldIn);

    private static void WriteStart(Utf8JsonWriter writer, IReadOnlyDictionary<string, RunScores> runs)
    {
        writer.WriteStartObject();
        writer.WriteStartObject("runs");
        foreach (var (run, scores) in runs)
        {
            writer.WriteStartObject(run);
            writer.WriteStartObject("tasks");
            foreach (var (task, t) in scores.Tasks)
            {
                writer.WriteStartObject(task);
                writer.WriteNumber("episodes", t.Episodes);
                writer.WriteNumber("success", t.Success);
                writer.WriteNumber("progress", t.Progress);
                writer.WriteNumber("grounding", t.Grounding);
                WriteNullable(writer, "success_easy", t.SuccessEasy);
                WriteNullable(writer, "success_hard", t.SuccessHard);
                WriteNullable(writer, "progress_easy", t.ProgressEasy);
                WriteNullable(writer, "progress_hard", t.ProgressHard);
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
            writer.WriteStartObject("categories");
            foreach (var (category, c) in scores.Categories)
            {
                writer.WriteStartObject(category);
                writer.WriteNumber("success", c.Success);
                writer.WriteNumber("progress", c.Progress);
                writer.WriteNumber("grounding", c.Grounding);
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
            writer.WriteStartArray("long_range");
            foreach (var value in scores.LongRange)
            {
                writer.WriteNumberValue(value);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
        writer.WriteStartArray("episodes");
    }

    /// <summary>One element of the <c>episodes</c> array; an unscored episode is not written.</summary>
    private static void WriteEpisode(Utf8JsonWriter writer, EpisodeScore e)
    {
        if (!e.IsScored)
        {
            return;
        }

        writer.WriteStartObject();
        writer.WriteString("run", e.Run);
        writer.WriteString("task", e.Task);
        writer.WriteNumber("id", e.Id);
        writer.WriteBoolean("success", e.Success);
        writer.WriteNumber("progress", e.Progress);
        writer.WriteNumber("grounding", e.Grounding);
        writer.WriteStartArray("score_change_record");
        foreach (var change in e.ScoreChangeRecord)
        {
            writer.WriteStartArray();
            writer.WriteNumberValue(change.Step);
            writer.WriteNumberValue(change.Progress);
            writer.WriteEndArray();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteEnd(Utf8JsonWriter writer)
    {
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteNullable(Utf8JsonWriter writer, string name, double? value)
    {
        if (value is { } v)
        {
            writer.WriteNumber(name, v);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    private static string Csv(string value) => value.AsSpan().IndexOfAny(",\"\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
}
