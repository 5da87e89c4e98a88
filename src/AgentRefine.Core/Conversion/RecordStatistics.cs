namespace AgentRefine.Conversion;

/// <summary>Dataset statistics of a records file (see <see cref="RecordStatisticsCalculator"/>).</summary>
public sealed record RecordStatistics
{
    /// <summary>Records read.</summary>
    public int Records { get; init; }

    /// <summary>Records whose status is accepted.</summary>
    public int Accepted { get; init; }

    /// <summary>Records whose status is not accepted (rejected or unfinished).</summary>
    public int Rejected { get; init; }

    /// <summary>Lines that are not records.</summary>
    public int UnreadableLines { get; init; }

    /// <summary>Why lines were unreadable: the messages (with <c>file:line</c>) of the first <see cref="RecordStatisticsCalculator.UnreadableExamplesKept"/> of them.</summary>
    public IReadOnlyList<string> UnreadableExamples { get; init; } = [];

    /// <summary>Accepted records that fail verification under their settings today (they would be skipped by a conversion).</summary>
    public int AcceptedFailingVerification { get; init; }

    /// <summary>Turns per verified accepted record: mean, minimum, maximum.</summary>
    public (double Mean, int Min, int Max) Turns { get; init; }

    /// <summary>Error-refine turns per verified accepted record: mean, minimum, maximum.</summary>
    public (double Mean, int Min, int Max) ErrorRefineTurns { get; init; }

    /// <summary>Actions per script of the verified accepted records: mean, minimum, maximum.</summary>
    public (double Mean, int Min, int Max) ActionsPerScript { get; init; }

    /// <summary>DM error flags over the verified accepted records.</summary>
    public IReadOnlyDictionary<string, long> ErrorTypes { get; init; } = new Dictionary<string, long>();

    /// <summary>Records whose persona text repeats an earlier record's.</summary>
    public int DuplicatePersonas { get; init; }

    /// <summary>Verified accepted records whose goal repeats an earlier one's.</summary>
    public int DuplicateGoals { get; init; }

    /// <summary>Rejected records by reason (their <c>reason</c> field).</summary>
    public IReadOnlyDictionary<string, int> RejectedByReason { get; init; } = new Dictionary<string, int>();
}
