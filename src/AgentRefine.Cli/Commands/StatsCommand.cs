using System.CommandLine;
using System.Globalization;
using AgentRefine.Conversion;
using AgentRefine.Verification;
using Microsoft.Extensions.DependencyInjection;

namespace AgentRefine.Cli.Commands;

/// <summary>
/// <c>agentrefine stats --input FILE [--min-error-refine N]</c> (or <c>stats FILE</c>): dataset statistics of a
/// records file, with read progress on long files. Exit 0, 2 when the file cannot be read, 130 interrupted.
/// </summary>
internal static class StatsCommand
{
    private const string Name = "stats";

    public static Command Create(CliEnvironment environment)
    {
        var file = new Argument<FileInfo?>("records") { Description = "The records file (JSON Lines); the same as --input.", Arity = ArgumentArity.ZeroOrOne };
        var input = new Option<FileInfo?>("--input") { Description = "The records file (JSON Lines)." };
        var minErrorRefine = ConvertCommand.MinErrorRefineOption();
        var maxLineBytes = ConvertCommand.MaxLineBytesOption();
        var threads = ConvertCommand.ThreadsOption();
        var command = new Command(Name, "Print dataset statistics of a records file: records, turns, error-refine turns, error types, actions per script, duplicate personas and goals. Accepted records are verified again under the settings in their provenance.\n\nExamples:\n  agentrefine stats --input records.jsonl\n  agentrefine stats records.jsonl --min-error-refine 1") { file, input, minErrorRefine, maxLineBytes, threads };
        command.Validators.Add(result =>
        {
            if ((result.GetResult(file) is null) == (result.GetResult(input) is null))
            {
                result.AddError("Give the records file once: --input FILE (or FILE alone).");
            }
        });
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var io = parseResult.InvocationConfiguration;
            var path = (parseResult.GetValue(input) ?? parseResult.GetValue(file))!;
            var files = new CommandFiles().Input("--input", path);
            return await CommandGuard.RunAsync(io.Error, Name, files, async () =>
            {
                using var services = CliServices.Build();
                var verifiers = services.GetRequiredService<IVerifierFactory>();
                var limits = RecordFiles.Limits(parseResult.GetValue(maxLineBytes));
                var s = await RecordFiles.ReadAsync(environment, io.Error, Name, path, (stream, progress) =>
                    RecordStatisticsCalculator.ComputeAsync(stream, path.Name, verifiers, parseResult.GetValue(minErrorRefine), limits, parseResult.GetValue(threads), progress, cancellationToken)).ConfigureAwait(false);
                Write(s, path.Name, io.Output);
                return CliApp.ExitOk;
            }, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    private static void Write(RecordStatistics s, string name, TextWriter o)
    {
        var c = CultureInfo.InvariantCulture;
        o.WriteLine($"{name}:");
        o.WriteLine(string.Create(c, $"  records:              {s.Records:N0} ({s.Accepted:N0} accepted, {s.Rejected:N0} rejected), {s.UnreadableLines:N0} unreadable lines"));
        foreach (var why in s.UnreadableExamples)
        {
            o.WriteLine($"    {why}");
        }

        if (s.UnreadableLines > s.UnreadableExamples.Count)
        {
            o.WriteLine(string.Create(c, $"    … and {s.UnreadableLines - s.UnreadableExamples.Count:N0} more"));
        }

        o.WriteLine(string.Create(c, $"  accepted, verified:   {s.Accepted - s.AcceptedFailingVerification:N0} ({s.AcceptedFailingVerification:N0} fail verification today)"));
        o.WriteLine(string.Create(c, $"  turns:                {s.Turns.Mean:F1} on average (min {s.Turns.Min}, max {s.Turns.Max})"));
        o.WriteLine(string.Create(c, $"  error-refine turns:   {s.ErrorRefineTurns.Mean:F2} on average (min {s.ErrorRefineTurns.Min}, max {s.ErrorRefineTurns.Max})"));
        o.WriteLine("  error types:          " + string.Join(", ", s.ErrorTypes.Select(p => string.Create(c, $"{p.Key} {p.Value:N0}"))));
        o.WriteLine(string.Create(c, $"  actions per script:   {s.ActionsPerScript.Mean:F1} on average (min {s.ActionsPerScript.Min}, max {s.ActionsPerScript.Max})"));
        o.WriteLine(string.Create(c, $"  duplicates:           {s.DuplicatePersonas:N0} personas, {s.DuplicateGoals:N0} goals"));
        if (s.RejectedByReason.Count > 0)
        {
            o.WriteLine("  rejected by reason:   " + string.Join(", ", s.RejectedByReason.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => string.Create(c, $"{p.Key} {p.Value:N0}"))));
        }
    }
}
