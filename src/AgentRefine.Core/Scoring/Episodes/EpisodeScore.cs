namespace AgentRefine.Scoring;

/// <summary>How one episode scored.</summary>
public sealed record EpisodeScore
{
    /// <summary>The run.</summary>
    public required string Run { get; init; }

    /// <summary>The task.</summary>
    public required string Task { get; init; }

    /// <summary>The task instance's id.</summary>
    public required long Id { get; init; }

    /// <summary>The difficulty label, if any.</summary>
    public string? Difficulty { get; init; }

    /// <summary>Whether the episode succeeded (per the task's rule).</summary>
    public bool Success { get; init; }

    /// <summary>The progress rate when the episode ended, in [0, 1].</summary>
    public double Progress { get; init; }

    /// <summary>The grounding accuracy: valid steps over steps taken, in [0, 1].</summary>
    public double Grounding { get; init; }

    /// <summary>The steps taken until the episode ended.</summary>
    public int StepsTaken { get; init; }

    /// <summary>Every strict rise of the progress rate, with its step.</summary>
    public IReadOnlyList<ProgressChange> ScoreChangeRecord { get; init; } = [];

    /// <summary>The progress rate reached by each step 0..29 (the final value after the episode ended), for the long-range curve.</summary>
    public IReadOnlyList<double> ProgressByStep { get; init; } = [];

    /// <summary>Problems met while scoring (an unknown task, a subgoal pattern that does not compile or timed out); empty when none.</summary>
    public IReadOnlyList<string> Diagnostics { get; init; } = [];

    /// <summary>
    /// Whether <see cref="Progress"/> and <see cref="Success"/> are the environment's own measures (an
    /// episode of a task without an AgentBoard rule that reported them), not AgentBoard's rates; reports label them so.
    /// </summary>
    public bool IsEnvironmentProgress { get; init; }

    /// <summary>Whether the episode could be scored (its task has a rule); unscored episodes are left out of every mean.</summary>
    public bool IsScored { get; init; } = true;
}
