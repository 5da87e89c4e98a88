using System.Collections.Concurrent;

namespace AgentRefine.Core.Tests.Fakes;

/// <summary>
/// A clock whose short timers (under <see cref="FastForwardBelow"/>) fire at once and are recorded, so
/// that retry delays can be asserted without waiting; longer timers (timeouts) run in real time.
/// </summary>
internal sealed class RecordingTimeProvider : TimeProvider
{
    public TimeSpan FastForwardBelow { get; init; } = TimeSpan.FromSeconds(100);

    public ConcurrentQueue<TimeSpan> Delays { get; } = new();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        if (dueTime > TimeSpan.Zero && dueTime < FastForwardBelow)
        {
            Delays.Enqueue(dueTime);
            dueTime = TimeSpan.FromMilliseconds(1);
        }

        return System.CreateTimer(callback, state, dueTime, period);
    }
}
