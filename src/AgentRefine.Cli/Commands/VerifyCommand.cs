using AgentRefine.Json;
using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using AgentRefine.Verification;
using Microsoft.Extensions.DependencyInjection;

namespace AgentRefine.Cli.Commands;

/// <summary>
/// <c>agentrefine verify --script S.json [--trajectory T.json] [--min-error-refine N] [--regex-timeout-ms N] [--non-backtracking]</c>: prints one
/// JSON verdict to standard output; exit 0 accepted, 1 not accepted, 2 bad usage or unreadable file.
/// </summary>
internal static class VerifyCommand
{
    public static Command Create()
    {
        var script = new Option<FileInfo>("--script")
        {
            Description = "The script JSON file (model output with prose or a code fence around it is accepted).",
            Required = true,
        };
        var trajectory = new Option<FileInfo?>("--trajectory")
        {
            Description = "The trajectory JSON file (an array of turns, {\"turns\": [...]}, or one turn object per line). Omit to check the script only.",
        };
        var minErrorRefine = new Option<int>("--min-error-refine")
        {
            Description = "The fewest error-refine turns an accepted trajectory needs.",
            DefaultValueFactory = _ => new VerifierOptions().MinErrorRefineTurns,
        };
        OptionRules.RequireAtLeast(minErrorRefine, 0);
        var regexTimeout = new Option<int>("--regex-timeout-ms")
        {
            Description = "How long one match of a verification code may run, in milliseconds.",
            DefaultValueFactory = _ => (int)new VerifierOptions().RegexMatchTimeout.TotalMilliseconds,
        };
        OptionRules.RequireAtLeast(regexTimeout, 1);

        var nonBacktracking = new Option<bool>("--non-backtracking")
        {
            Description = "Run verification codes on the non-backtracking regex engine (linear time); codes it cannot run fall back to the timeout.",
        };

        var command = new Command("verify", "Verify a script and, optionally, a trajectory with the AgentRefine rules. Prints {\"outcome\", \"keptTurns\", \"errorRefineTurns\", \"issues\"}; exit 0 accepted, 1 not accepted, 2 bad usage or unreadable file.\n\nExamples:\n  agentrefine verify --script script.json --trajectory trajectory.json\n  agentrefine verify --script script.json")
        {
            script, trajectory, minErrorRefine, regexTimeout, nonBacktracking,
        };
        command.SetAction((parseResult, cancellationToken) =>
        {
            var options = new VerifierOptions
            {
                MinErrorRefineTurns = parseResult.GetValue(minErrorRefine),
                RegexMatchTimeout = TimeSpan.FromMilliseconds(parseResult.GetValue(regexTimeout)),
                UseNonBacktrackingEngine = parseResult.GetValue(nonBacktracking),
            };
            var exit = Run(parseResult.GetRequiredValue(script), parseResult.GetValue(trajectory), options, parseResult.InvocationConfiguration.Output, parseResult.InvocationConfiguration.Error, cancellationToken);
            return Task.FromResult(exit);
        });
        return command;
    }

    private static int Run(FileInfo scriptFile, FileInfo? trajectoryFile, VerifierOptions options, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var limits = JsonReadLimits.Default;
        if (!InputFile.TryRead(scriptFile, "script", limits, out var scriptText, out var message))
        {
            error.WriteLine($"agentrefine verify: {message}");
            return CliApp.ExitUsage;
        }

        string? trajectoryText = null;
        if (trajectoryFile is not null && !InputFile.TryRead(trajectoryFile, "trajectory", limits, out trajectoryText, out message))
        {
            error.WriteLine($"agentrefine verify: {message}");
            return CliApp.ExitUsage;
        }

        using var services = CliServices.Build(o => o.Verification = options);
        var result = services.GetRequiredService<IVerifier>().Verify(scriptText, trajectoryText, limits, cancellationToken);
        WriteResult(result, output);
        return result.IsAccepted ? CliApp.ExitOk : CliApp.ExitNotAccepted;
    }

    /// <summary>Writes the verdict in the CLI's JSON contract (<see cref="VerificationResult.WriteTo"/>, indented).</summary>
    private static void WriteResult(VerificationResult result, TextWriter output)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            result.WriteTo(writer);
        }

        output.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }
}
