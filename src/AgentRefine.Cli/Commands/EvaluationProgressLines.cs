using System.Globalization;
using AgentRefine.Agents;
using Spectre.Console;

namespace AgentRefine.Cli.Commands;

/// <summary>
/// Shows an evaluation's progress on standard error: a Spectre bar when standard error is a terminal,
/// else a plain line at most every <see cref="CliEnvironment.ProgressInterval"/> and a closing line when
/// any was written (CI logs see a long run move; a short one stays quiet). Reports arrive synchronously
/// from the run's worker threads.
/// </summary>
internal sealed class EvaluationProgressLines(CliEnvironment environment, TextWriter error, string command) : IProgress<EvaluationProgress>
{
    private readonly Lock _lock = new();
    private readonly long _start = environment.Time.GetTimestamp();
    private TimeSpan _next = environment.ProgressInterval;
    private EvaluationProgress? _last;
    private bool _written;
    private ProgressTask? _bar;

    /// <summary>Runs <paramref name="work"/> with this instance reporting to a bar (on a terminal) or to plain lines.</summary>
    public async Task<T> RunAsync<T>(Func<IProgress<EvaluationProgress>, Task<T>> work)
    {
        if (environment.ErrorTerminal is { } terminal)
        {
            return await new Progress(terminal, environment.Time)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn { Width = 30 }, new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
                .StartAsync(async context =>
                {
                    _bar = context.AddTask("episodes", maxValue: 1);
                    var result = await work(this).ConfigureAwait(false);
                    _bar.Value = _bar.MaxValue;
                    return result;
                }).ConfigureAwait(false);
        }

        var value = await work(this).ConfigureAwait(false);
        lock (_lock)
        {
            if (_written && _last is { } last)
            {
                error.WriteLine(Line(last));
            }
        }

        return value;
    }

    public void Report(EvaluationProgress value)
    {
        lock (_lock)
        {
            _last = value;
            if (_bar is { } bar)
            {
                bar.MaxValue = Math.Max(1, value.Total);
                bar.Value = value.Skipped + value.Finished + value.NotRun;
                bar.Description = Markup.Escape(Describe(value));
                return;
            }

            var elapsed = environment.Time.GetElapsedTime(_start);
            if (elapsed < _next)
            {
                return;
            }

            while (_next <= elapsed)
            {
                _next += environment.ProgressInterval;
            }

            error.WriteLine(Line(value));
            _written = true;
        }
    }

    private string Line(EvaluationProgress value) => $"agentrefine {command}: {Describe(value)}";

    private static string Describe(EvaluationProgress p) => string.Create(
        CultureInfo.InvariantCulture,
        $"{p.Skipped + p.Finished + p.NotRun:N0} of {p.Total:N0} episodes ({p.Finished:N0} run, {p.Skipped:N0} already in the output, {p.Failed:N0} ended by a failure, {p.NotRun:N0} could not run), {p.Succeeded:N0} successful");
}
