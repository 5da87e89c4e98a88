namespace AgentRefine.Cli.Tests;

/// <summary>Runs the command line in process in an explicit environment (terminals, clock) and with a cancellation token standing in for Ctrl+C.</summary>
internal static class CliRun
{
    public static async Task<(int Exit, string Out, string Err)> RunAsync(CliEnvironment environment, CancellationToken cancellationToken, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await CliApp.RunAsync(args, output, error, environment, cancellationToken);
        return (exit, output.ToString().ReplaceLineEndings("\n"), error.ToString().ReplaceLineEndings("\n"));
    }

    /// <summary>A clock that moves forward by <paramref name="step"/> each time it is read.</summary>
    public sealed class SteppingClock(TimeSpan step) : TimeProvider
    {
        private long _now;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Interlocked.Add(ref _now, step.Ticks) - step.Ticks;
    }
}
