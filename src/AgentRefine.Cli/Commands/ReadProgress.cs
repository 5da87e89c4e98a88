using System.Globalization;
using Spectre.Console;

namespace AgentRefine.Cli.Commands;

/// <summary>
/// Progress of a long read, on standard error (standard output stays clean for the command's result):
/// a Spectre progress bar (records and records per second, share and bytes read of total, time left) when standard error is
/// a terminal; otherwise a plain line every <see cref="CliEnvironment.ProgressInterval"/>
/// (<c>agentrefine score: e.jsonl: 120.5 of 474.5 MB (25%), 250,000 episodes, 41,234 episodes/s, ETA 00:00:09</c>)
/// and a closing line when any was written, so CI logs show a long run moving and a short one stays quiet.
/// </summary>
internal static class ReadProgress
{
    /// <summary>Runs <paramref name="work"/>, showing the progress it reports.</summary>
    /// <param name="environment">Terminals, clock and interval.</param>
    /// <param name="error">Standard error, for plain lines.</param>
    /// <param name="command">The command, for plain lines (<c>score</c>).</param>
    /// <param name="file">The file being read.</param>
    /// <param name="unit">What the records are, plural (<c>episodes</c>).</param>
    /// <param name="work">The read; it calls <see cref="IReadProgress.Report"/> as it goes.</param>
    /// <returns>The read's result.</returns>
    public static async Task<T> RunAsync<T>(CliEnvironment environment, TextWriter error, string command, FileInfo file, string unit, Func<IReadProgress, Task<T>> work)
    {
        var total = file.Exists ? file.Length : 0;
        if (environment.ErrorTerminal is { } terminal)
        {
            // Narrow terminals (under 100 columns) get the line without the file name, so it stays on one line.
            var label = terminal.Profile.Width >= 100 ? file.Name + ": " : string.Empty;
            return await new Progress(terminal, environment.Time)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn { Width = 20 }, new PercentageColumn(), new DownloadedColumn(), new RemainingTimeColumn())
                .StartAsync(async context =>
                {
                    var bar = new Bar(context.AddTask(Markup.Escape($"{label}0 {unit}"), maxValue: Math.Max(1, total)), label, unit, environment.Time);
                    var result = await work(bar).ConfigureAwait(false);
                    bar.Complete();
                    return result;
                }).ConfigureAwait(false);
        }

        var plain = new PlainLines(error, $"agentrefine {command}: {file.Name}", total, unit, environment.Time, environment.ProgressInterval);
        var value = await work(plain).ConfigureAwait(false);
        plain.Complete();
        return value;
    }

    /// <summary>The unit that suits sizes up to <paramref name="scale"/> bytes (decimal kB, MB or GB), so "x of y" compares like with like.</summary>
    private static (double Divisor, string Unit) UnitFor(long scale) => scale switch { < 1_000_000 => (1e3, "kB"), < 1_000_000_000 => (1e6, "MB"), _ => (1e9, "GB") };

    private static string Number(long bytes, double divisor) => (bytes / divisor).ToString("F1", CultureInfo.InvariantCulture);

    private static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>The Spectre bar: its value is bytes; the description shows the records and their rate, refreshed four times a second.</summary>
    private sealed class Bar(ProgressTask task, string label, string unit, TimeProvider time) : IReadProgress
    {
        private readonly long _start = time.GetTimestamp();
        private TimeSpan _nextDescription;
        private long _records;

        public void Report(long bytesRead, long records)
        {
            task.Value = Math.Min(bytesRead, task.MaxValue);
            _records = records;
            var elapsed = time.GetElapsedTime(_start);
            if (elapsed >= _nextDescription)
            {
                _nextDescription = elapsed + TimeSpan.FromMilliseconds(250);
                Describe(elapsed);
            }
        }

        public void Complete()
        {
            task.Value = task.MaxValue;
            Describe(time.GetElapsedTime(_start));
        }

        private void Describe(TimeSpan elapsed) =>
            task.Description = Markup.Escape($"{label}{Count(_records)} {unit}" + (elapsed.TotalSeconds > 0 ? $" ({Count((long)(_records / elapsed.TotalSeconds))}/s)" : string.Empty));
    }

    /// <summary>Plain lines for logs: one per interval while the read runs, and a closing line when any was written.</summary>
    private sealed class PlainLines(TextWriter error, string prefix, long total, string unit, TimeProvider time, TimeSpan interval) : IReadProgress
    {
        private readonly long _start = time.GetTimestamp();
        private readonly TimeSpan _interval = interval;
        private TimeSpan _nextLine = interval;
        private bool _written;
        private long _bytes;
        private long _records;

        public void Report(long bytesRead, long records)
        {
            _bytes = bytesRead;
            _records = records;
            var elapsed = time.GetElapsedTime(_start);
            if (elapsed < _nextLine)
            {
                return;
            }

            while (_nextLine <= elapsed)
            {
                _nextLine += _interval;
            }

            var seconds = Math.Max(elapsed.TotalSeconds, 1e-9);
            var share = total > 0 ? Math.Min(100, bytesRead * 100 / total) : 100;
            var eta = bytesRead > 0 ? $", ETA {TimeSpan.FromSeconds(Math.Ceiling(Math.Max(0, total - bytesRead) / (bytesRead / seconds))):hh\\:mm\\:ss}" : string.Empty;
            var (divisor, size) = UnitFor(total);
            error.WriteLine($"{prefix}: {Number(bytesRead, divisor)} of {Number(total, divisor)} {size} ({share}%), {Count(records)} {unit}, {Count((long)(records / seconds))} {unit}/s{eta}");
            _written = true;
        }

        public void Complete()
        {
            if (_written)
            {
                var (divisor, size) = UnitFor(_bytes);
                error.WriteLine($"{prefix}: {Number(_bytes, divisor)} {size}, {Count(_records)} {unit} in {time.GetElapsedTime(_start):hh\\:mm\\:ss}");
            }
        }
    }
}
