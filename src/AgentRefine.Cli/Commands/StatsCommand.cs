using System.CommandLine;
using System.Globalization;
using AgentRefine.Conversion;
using AgentRefine.Verification;
using Microsoft.Extensions.DependencyInjection;

namespace AgentRefine.Cli.Commands;

/// <summary><c>agentrefine stats FILE [--min-error-refine N]</c>: dataset statistics of a records file. Exit 0, or 2 when the file cannot be read.</summary>
internal static class StatsCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("records") { Description = "The records file (JSON Lines)." };
        var minErrorRefine = ConvertCommand.MinErrorRefineOption();
        var command = new Command("stats", "Print dataset statistics of a records file: records, turns, error-refine turns, error types, actions per script, duplicate personas and goals. Accepted records are verified again under the settings in their provenance.") { file, minErrorRefine };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var io = parseResult.InvocationConfiguration;
            var path = parseResult.GetRequiredValue(file);
            if (!path.Exists)
            {
                io.Error.WriteLine($"agentrefine stats: cannot read '{path.FullName}': it does not exist.");
                return CliApp.ExitUsage;
            }

            RecordStatistics s;
            try
            {
                using var services = CliServices.Build();
                s = await RecordStatisticsCalculator.ComputeAsync(path.FullName, services.GetRequiredService<IVerifierFactory>(), parseResult.GetValue(minErrorRefine), cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                io.Error.WriteLine($"agentrefine stats: cannot read '{path.FullName}': {exception.Message}");
                return CliApp.ExitUsage;
            }

            var c = CultureInfo.InvariantCulture;
            var o = io.Output;
            o.WriteLine($"{path.Name}:");
            o.WriteLine(string.Create(c, $"  records:              {s.Records} ({s.Accepted} accepted, {s.Rejected} rejected), {s.UnreadableLines} unreadable lines"));
            o.WriteLine(string.Create(c, $"  accepted, verified:   {s.Accepted - s.AcceptedFailingVerification} ({s.AcceptedFailingVerification} fail verification today)"));
            o.WriteLine(string.Create(c, $"  turns:                {s.Turns.Mean:F1} on average (min {s.Turns.Min}, max {s.Turns.Max})"));
            o.WriteLine(string.Create(c, $"  error-refine turns:   {s.ErrorRefineTurns.Mean:F2} on average (min {s.ErrorRefineTurns.Min}, max {s.ErrorRefineTurns.Max})"));
            o.WriteLine("  error types:          " + string.Join(", ", s.ErrorTypes.Select(p => string.Create(c, $"{p.Key} {p.Value}"))));
            o.WriteLine(string.Create(c, $"  actions per script:   {s.ActionsPerScript.Mean:F1} on average (min {s.ActionsPerScript.Min}, max {s.ActionsPerScript.Max})"));
            o.WriteLine(string.Create(c, $"  duplicates:           {s.DuplicatePersonas} personas, {s.DuplicateGoals} goals"));
            if (s.RejectedByReason.Count > 0)
            {
                o.WriteLine("  rejected by reason:   " + string.Join(", ", s.RejectedByReason.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => string.Create(c, $"{p.Key} {p.Value}"))));
            }

            return CliApp.ExitOk;
        });
        return command;
    }
}
