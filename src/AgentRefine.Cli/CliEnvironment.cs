using Spectre.Console;

namespace AgentRefine.Cli;

/// <summary>
/// What the command line runs against besides its arguments and writers: whether standard output and
/// standard error are interactive terminals (then tables are rendered and progress is a bar), the clock,
/// and how often plain progress lines are written. Tests inject their own.
/// </summary>
internal sealed class CliEnvironment
{
    /// <summary>Neither stream is a terminal; the system clock; a plain progress line every 2 seconds.</summary>
    public static CliEnvironment Plain { get; } = new();

    /// <summary>Set when standard output is an interactive terminal: tables are rendered through it instead of printed as Markdown.</summary>
    public IAnsiConsole? OutputTerminal { get; init; }

    /// <summary>Set when standard error is an interactive terminal: progress is a live bar on it instead of plain lines.</summary>
    public IAnsiConsole? ErrorTerminal { get; init; }

    /// <summary>The clock for progress rates and intervals.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>How often a plain progress line is written while a long read runs (none for a read that ends sooner).</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The environment of the real process: terminals only when the writers are the console's own and are not redirected.</summary>
    /// <param name="output">Standard output as given to <see cref="CliApp.Run(string[], TextWriter, TextWriter)"/>.</param>
    /// <param name="error">Standard error as given.</param>
    /// <returns>The environment.</returns>
    public static CliEnvironment Detect(TextWriter output, TextWriter error)
    {
        var outputIsTerminal = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;
        var errorIsTerminal = ReferenceEquals(error, Console.Error) && !Console.IsErrorRedirected;
        return new CliEnvironment
        {
            OutputTerminal = outputIsTerminal ? AnsiConsole.Console : null,
            ErrorTerminal = errorIsTerminal ? AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error), Interactive = InteractionSupport.Yes }) : null,
        };
    }
}
