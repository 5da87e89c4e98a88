namespace AgentRefine.Cli.Tests;

/// <summary>Runs the command line in process and captures its output.</summary>
internal static class Cli
{
    /// <summary>Runs <c>agentrefine</c> with the arguments.</summary>
    /// <returns>The exit code, standard output (line endings normalized to \n) and standard error.</returns>
    public static (int Exit, string Out, string Err) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = CliApp.Run(args, output, error);
        return (exit, output.ToString().ReplaceLineEndings("\n"), error.ToString());
    }
}
