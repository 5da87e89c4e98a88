using System.CommandLine;
using AgentRefine.Cli.Commands;

namespace AgentRefine.Cli;

/// <summary>The <c>agentrefine</c> command line: builds the commands and maps failures to exit codes.</summary>
public static class CliApp
{
    /// <summary>Exit code: success (for <c>verify</c>: accepted).</summary>
    public const int ExitOk = 0;

    /// <summary>Exit code: the input was read but not accepted.</summary>
    public const int ExitNotAccepted = 1;

    /// <summary>Exit code: bad usage, or a file that cannot be read (message on standard error).</summary>
    public const int ExitUsage = 2;

    /// <summary>Exit code: interrupted (Ctrl+C, SIGINT) by a command that stops at once; its outputs are left as they were (128 + SIGINT, as shells report it).</summary>
    public const int ExitInterrupted = 130;

    /// <summary>Runs the command line.</summary>
    /// <param name="args">The arguments.</param>
    /// <param name="output">Standard output.</param>
    /// <param name="error">Standard error.</param>
    /// <returns>The exit code.</returns>
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        return RunAsync(args, output, error, CliEnvironment.Detect(output, error), CancellationToken.None).GetAwaiter().GetResult();
    }

    /// <summary>Runs the command line in an explicit environment (terminals, clock), cancelled by Ctrl+C or by <paramref name="cancellationToken"/>.</summary>
    internal static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CliEnvironment environment, CancellationToken cancellationToken)
    {
        var root = new RootCommand("agentrefine: synthesize AgentRefine self-correction data with any OpenAI-compatible model, verify it, and convert it into masked-loss training datasets.")
        {
            DemoCommand.Create(),
            SynthesizeCommand.Create(),
            VerifyCommand.Create(),
            ConvertCommand.Create(environment),
            TokenizeCommand.Create(),
            StatsCommand.Create(environment),
            ScoreCommand.Create(environment),
            EvaluateCommand.Create(environment),
        };

        var parseResult = root.Parse(args);
        if (parseResult.Errors.Count > 0)
        {
            foreach (var parseError in parseResult.Errors)
            {
                error.WriteLine($"agentrefine: {Readable(parseError.Message)}");
            }

            var path = new List<string>();
            for (var command = parseResult.CommandResult; command is not null; command = command.Parent as System.CommandLine.Parsing.CommandResult)
            {
                path.Insert(0, command.Command.Name);
            }

            error.WriteLine($"Run 'agentrefine {string.Join(' ', path)} --help' for usage.".Replace("agentrefine agentrefine", "agentrefine", StringComparison.Ordinal));
            return ExitUsage;
        }

        try
        {
            return await parseResult.InvokeAsync(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // Messages of the library's own exceptions never carry API keys.
            error.WriteLine($"agentrefine: the command failed: {exception.GetType().Name}: {exception.Message}");
            return ExitNotAccepted;
        }
    }

    /// <summary>
    /// System.CommandLine names the .NET type an argument failed to parse as
    /// (<c>as expected type 'System.Nullable`1[System.Int32]'</c>); users are told what to write instead.
    /// </summary>
    internal static string Readable(string message) =>
        System.Text.RegularExpressions.Regex.Replace(
            message,
            @" as expected type '(?:System\.Nullable`1\[)?System\.(?<type>Int32|Int64|Double|Single|Decimal|Boolean)\]?'\.?",
            match => match.Groups["type"].Value switch
            {
                "Int32" or "Int64" => ": expected a whole number.",
                "Boolean" => ": expected true or false.",
                _ => ": expected a number.",
            },
            System.Text.RegularExpressions.RegexOptions.CultureInvariant,
            TimeSpan.FromSeconds(1));
}
