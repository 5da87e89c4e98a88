using System.Collections.Concurrent;
using AgentRefine.Environments;

namespace AgentRefine.Core.Tests.Fakes;

/// <summary>
/// A deterministic fake environment: task <c>n</c> is a corridor of <c>n + 1</c> cells; <c>move forward</c>
/// advances (progress = position / length, done and successful at the end), <c>look</c> changes nothing,
/// anything else is invalid. Records every action and every started and disposed episode.
/// </summary>
internal sealed class CorridorEnvironment : IAgentEnvironment
{
    public string Task => "corridor";

    public ConcurrentQueue<(long Task, string Action)> Actions { get; } = new();

    public int Started => _started;

    public int Disposed => _disposed;

    /// <summary>The most episodes that were open at the same time.</summary>
    public int MaxOpen => _maxOpen;

    /// <summary>Task indices whose start fails.</summary>
    public HashSet<long> FailingStarts { get; init; } = [];

    /// <summary>Fails the step with this 0-based number (in every episode), or never.</summary>
    public int? FailingStep { get; init; }

    /// <summary>Whether a failing start is an unreachable server.</summary>
    public bool Unreachable { get; init; }

    /// <summary>Delay per step, to make episodes overlap.</summary>
    public TimeSpan StepDelay { get; init; }

    private int _started;
    private int _disposed;
    private int _open;
    private int _maxOpen;

    public static EnvironmentStart StartOf(long task) => new("reach the end of the corridor", $"You are at 0 of {task + 1}.")
    {
        Instruction = "Walk down the corridor.\n",
        Actions = [new EnvironmentAction("move forward", "step ahead"), new EnvironmentAction("look")],
        HelpCommands = ["look"],
        Examples = ["Observation: You are at 0 of 1.\nAction: move forward\nObservation: You are at 1 of 1."],
    };

    public ValueTask<IEnvironmentEpisode> StartAsync(long taskIndex, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (FailingStarts.Contains(taskIndex))
        {
            throw new AgentEnvironmentException($"no corridor {taskIndex}") { IsFatal = Unreachable };
        }

        Interlocked.Increment(ref _started);
        var open = Interlocked.Increment(ref _open);
        int seen;
        while ((seen = _maxOpen) < open && Interlocked.CompareExchange(ref _maxOpen, open, seen) != seen)
        {
        }

        return ValueTask.FromResult<IEnvironmentEpisode>(new Episode(this, taskIndex));
    }

    private sealed class Episode(CorridorEnvironment owner, long task) : IEnvironmentEpisode
    {
        private int _position;
        private int _steps;

        public EnvironmentStart Start { get; } = StartOf(task);

        public async ValueTask<EnvironmentStepResult> StepAsync(string action, CancellationToken cancellationToken = default)
        {
            owner.Actions.Enqueue((task, action));
            if (owner.StepDelay > TimeSpan.Zero)
            {
                await System.Threading.Tasks.Task.Delay(owner.StepDelay, cancellationToken);
            }

            if (owner.FailingStep == _steps++)
            {
                throw new AgentEnvironmentException("the corridor collapsed");
            }

            var length = (int)task + 1;
            if (action == "move forward")
            {
                _position++;
            }
            else if (action != "look")
            {
                return new EnvironmentStepResult("Nothing happens.", false) { Valid = false, Progress = (double)_position / length, Success = false };
            }

            var done = _position == length;
            return new EnvironmentStepResult($"You are at {_position} of {length}.", done) { Progress = (double)_position / length, Success = done };
        }

        public ValueTask DisposeAsync()
        {
            Interlocked.Increment(ref owner._disposed);
            Interlocked.Decrement(ref owner._open);
            return ValueTask.CompletedTask;
        }
    }
}
