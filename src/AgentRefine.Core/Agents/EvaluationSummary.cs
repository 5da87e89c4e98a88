namespace AgentRefine.Agents;

/// <summary>What an evaluation run did.</summary>
public sealed record EvaluationSummary
{
    /// <summary>The counts at the end.</summary>
    public required EvaluationProgress Counts { get; init; }

    /// <summary>The episodes that could not run or ended by a failure, with the reason, in task order (at most 100; the counts are complete).</summary>
    public IReadOnlyList<KeyValuePair<long, string>> Problems { get; init; } = [];

    /// <summary>Whether the run was cancelled before every episode ran.</summary>
    public bool Interrupted { get; init; }

    /// <summary>The failure that stopped the run (an unusable model or an unreachable environment), or <see langword="null"/>.</summary>
    public string? StoppedBy { get; init; }

    /// <summary>Torn last lines removed from the output when it was resumed (a run killed while writing); their episodes are run again.</summary>
    public int TornLinesRemoved { get; init; }

    /// <summary>Whether every asked-for episode is in the output and ended without a failure in this run.</summary>
    public bool IsComplete => !Interrupted && StoppedBy is null && Counts.NotRun == 0 && Counts.Failed == 0
        && Counts.Skipped + Counts.Finished == Counts.Total;
}
