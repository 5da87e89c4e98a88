using System.Globalization;
using AgentRefine.Llm;

namespace AgentRefine.Cli.Commands;

/// <summary>
/// Shows model-call failures as they happen, before any persona finishes: the latest failure for the
/// progress bar, and, for plain output (CI logs), one line when a kind of failure first appears and
/// then at most one line per kind every <see cref="Interval"/>.
/// </summary>
internal sealed class FailureWatch(TextWriter? lines, TimeProvider? timeProvider = null)
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    private readonly Lock _lock = new();
    private readonly Dictionary<string, long> _lastPrinted = new(StringComparer.Ordinal);
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    /// <summary>The latest failure, e.g. <c>HTTP 503: The model server ... answered 503</c>, or <see langword="null"/>.</summary>
    public string? Latest { get; private set; }

    /// <summary>Called by the retry stage before each retry.</summary>
    public void OnRetry(Exception exception, int attempt, TimeSpan delay)
    {
        var kind = LlmErrors.Classify(exception);
        var text = Shorten(exception.Message);
        lock (_lock)
        {
            Latest = $"{kind}: {text}";
            if (lines is null)
            {
                return;
            }

            var now = _time.GetTimestamp();
            if (_lastPrinted.TryGetValue(kind, out var last) && _time.GetElapsedTime(last, now) < Interval)
            {
                return;
            }

            _lastPrinted[kind] = now;
            lines.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Model call failed ({kind}), retry {attempt} in {delay.TotalSeconds:0.#} s: {text}"));
        }
    }

    private static string Shorten(string message)
    {
        var line = message.ReplaceLineEndings(" ");
        return line.Length > 160 ? line[..160] + "…" : line;
    }
}
