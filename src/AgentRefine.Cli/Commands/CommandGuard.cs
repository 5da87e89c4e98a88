namespace AgentRefine.Cli.Commands;

/// <summary>
/// The failure rules every command that reads files and writes outputs follows: the files are checked
/// first (<see cref="CommandFiles.Problem"/>, exit 2, nothing opened for writing); an unreadable input
/// or a failed write is one line naming the cause, exit 2; Ctrl+C is one line,
/// <c>agentrefine &lt;command&gt;: interrupted; nothing written.</c>, exit <see cref="CliApp.ExitInterrupted"/>,
/// never an exception. When outputs were requested, the message says what happened to them
/// (<see cref="CommandFiles.Outcome"/>): atomic outputs are never left half-written.
/// </summary>
internal static class CommandGuard
{
    /// <summary>Checks the files, then runs <paramref name="body"/> under the rules above.</summary>
    /// <param name="error">Standard error.</param>
    /// <param name="command">The command for messages (<c>score</c>, <c>score robustness</c>).</param>
    /// <param name="files">The invocation's files.</param>
    /// <param name="body">The work; returns the exit code.</param>
    /// <param name="cancellationToken">The invocation's token (cancelled by Ctrl+C).</param>
    /// <returns>The exit code.</returns>
    public static async Task<int> RunAsync(TextWriter error, string command, CommandFiles files, Func<Task<int>> body, CancellationToken cancellationToken)
    {
        if (files.Problem() is { } problem)
        {
            error.WriteLine($"agentrefine {command}: {problem}");
            return CliApp.ExitUsage;
        }

        try
        {
            return await body().ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            error.WriteLine($"agentrefine {command}: interrupted; {files.Outcome()}.");
            return CliApp.ExitInterrupted;
        }
        catch (Exception exception) when (exception is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"agentrefine {command}: {exception.Message}");
            if (files.HasOutputs)
            {
                error.WriteLine($"agentrefine {command}: {files.Outcome()}.");
            }

            return CliApp.ExitUsage;
        }
    }
}
