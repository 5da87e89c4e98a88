using AgentRefine.Json;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace AgentRefine.Scoring;

/// <summary>Writes a <see cref="ScoringReport"/> as JSON (the documented contract), Markdown (the paper's table layout) or CSV.</summary>
public static class ScoringReportWriter
{
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
            writer.WriteStartObject();
            writer.WriteStartObject("runs");
            foreach (var (run, scores) in report.Runs)
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
            foreach (var e in report.Episodes.Where(e => e.IsScored))
            {
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

            writer.WriteEndArray();
            writer.WriteEndObject();
        }, indented);
    }

    /// <summary>
    /// The paper's table: one row per run, columns task × (Success, Progress) in percent with one
    /// decimal, held-in cells wrapped in <c>&lt;ins&gt;</c>, then the average over the tasks shown and,
    /// when some tasks are held in, the average over the held-out tasks.
    /// </summary>
    /// <param name="report">The report.</param>
    /// <param name="heldIn">Tasks whose environment the training data came from.</param>
    /// <returns>The Markdown table.</returns>
    public static string ToMarkdown(ScoringReport report, IReadOnlySet<string>? heldIn = null)
    {
        ArgumentNullException.ThrowIfNull(report);
        heldIn ??= new HashSet<string>(StringComparer.Ordinal);
        var tasks = Tasks(report);
        var heldOut = tasks.Where(t => !heldIn.Contains(t)).ToList();
        var showHeldOut = heldIn.Count > 0 && heldOut.Count > 0;
        var text = new StringBuilder();
        text.Append("| run |");
        foreach (var task in tasks)
        {
            var mark = heldIn.Contains(task) ? " (held-in)" : string.Empty;
            text.Append(CultureInfo.InvariantCulture, $" {task}{mark} Success | {task}{mark} Progress |");
        }

        text.Append(" average Success | average Progress |");
        if (showHeldOut)
        {
            text.Append(" held-out average Success | held-out average Progress |");
        }

        text.Append('\n').Append("|---|").Append(string.Concat(Enumerable.Repeat("---:|", (tasks.Count * 2) + 2 + (showHeldOut ? 2 : 0)))).Append('\n');
        foreach (var (run, scores) in report.Runs)
        {
            text.Append("| ").Append(run).Append(" |");
            foreach (var task in tasks)
            {
                if (scores.Tasks.TryGetValue(task, out var t))
                {
                    text.Append(' ').Append(Cell(t.Success, heldIn.Contains(task))).Append(" | ").Append(Cell(t.Progress, heldIn.Contains(task))).Append(" |");
                }
                else
                {
                    text.Append(" – | – |");
                }
            }

            AppendAverage(text, scores, tasks);
            if (showHeldOut)
            {
                AppendAverage(text, scores, heldOut);
            }

            text.Append('\n');
        }

        return text.ToString();
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

    private static void AppendAverage(StringBuilder text, RunScores scores, List<string> tasks)
    {
        var shown = tasks.Where(scores.Tasks.ContainsKey).Select(t => scores.Tasks[t]).ToList();
        if (shown.Count == 0)
        {
            text.Append(" – | – |");
            return;
        }

        text.Append(' ').Append(Cell(shown.Average(t => t.Success), false)).Append(" | ").Append(Cell(shown.Average(t => t.Progress), false)).Append(" |");
    }

    private static string Cell(double fraction, bool heldIn)
    {
        var value = (fraction * 100).ToString("F1", CultureInfo.InvariantCulture);
        return heldIn ? $"<ins>{value}</ins>" : value;
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
