using System.Globalization;
using AgentRefine.Synthesis;

namespace AgentRefine.Cli.Commands;

/// <summary>Prints a synthesis run's statistics for people.</summary>
internal static class StatisticsReport
{
    public static void Write(SynthesisStatistics s, string acceptedPath, string rejectedPath, TextWriter output)
    {
        var c = CultureInfo.InvariantCulture;
        output.WriteLine(s.Interrupted ? "Synthesis interrupted: every finished record is on disk; rerun the same command to resume." : "Synthesis finished.");
        output.WriteLine(string.Create(c, $"  records written:      {s.Written} ({s.Accepted} accepted, {s.Rejected} rejected, {s.AcceptanceRate * 100:F1}% accepted)"));
        output.WriteLine(string.Create(c, $"  skipped (on disk):    {s.Skipped}"));
        if (s.Unfinished > 0)
        {
            output.WriteLine(string.Create(c, $"  unfinished:           {s.Unfinished} (model calls kept failing; not stored, retried by the next run)"));
        }
        if (s.RejectedByReason.Count > 0)
        {
            output.WriteLine("  rejected by reason:   " + string.Join(", ", s.RejectedByReason.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).Select(p => string.Create(c, $"{p.Key} {p.Value}"))));
        }

        output.WriteLine(string.Create(c, $"  LLM calls:            {s.Calls} ({s.CallsPerAccepted:F2} per accepted record), {s.Retries} transport retries, {s.CachedCalls} from cache"));
        if (s.FailedCalls > 0)
        {
            output.WriteLine(string.Create(c, $"  failed calls:         {s.FailedCalls} (after their retries); the last error of each kind:"));
            foreach (var (kind, message) in s.LastErrorByKind)
            {
                output.WriteLine($"    {kind}: {message}");
            }
        }

        output.WriteLine(string.Create(c, $"  tokens:               {s.Usage.InputTokens} in, {s.Usage.OutputTokens} out ({s.TokensPerAccepted:F0} per accepted record)"));
        output.WriteLine(string.Create(c, $"  accepted games:       {s.AverageTurns:F1} turns, {s.AverageErrorRefineTurns:F2} error-refine turns on average"));
        output.WriteLine("  error types:          " + string.Join(", ", s.ErrorTypes.Select(p => string.Create(c, $"{p.Key} {p.Value}"))));
        output.WriteLine(string.Create(c, $"  elapsed:              {s.Elapsed:hh\\:mm\\:ss}"));
        output.WriteLine($"  accepted records:     {acceptedPath}");
        output.WriteLine($"  rejected records:     {rejectedPath}");
    }
}
