namespace AgentRefine.Conversion;

/// <summary>What a conversion read, wrote and skipped.</summary>
public sealed record ConversionStatistics
{
    /// <summary>Non-blank input lines read.</summary>
    public int RecordsIn { get; init; }

    /// <summary>Conversations converted and written.</summary>
    public int Conversations { get; init; }

    /// <summary>Dataset rows written (more than <see cref="Conversations"/> for LLaMA-Factory's one-sample-per-turn layout).</summary>
    public long RowsOut { get; init; }

    /// <summary>Bytes of the dataset written (the files' lengths: the eval file's included).</summary>
    public long BytesOut { get; init; }

    /// <summary>Of <see cref="Conversations"/>, those written to the eval file (0 without a train / eval split).</summary>
    public long EvalConversations { get; init; }

    /// <summary>Of <see cref="RowsOut"/>, the rows written to the eval file (0 without a train / eval split).</summary>
    public long EvalRowsOut { get; init; }

    /// <summary>Skipped records by reason.</summary>
    public IReadOnlyDictionary<string, int> SkippedByReason { get; init; } = new Dictionary<string, int>();

    /// <summary>The skipped records: id (or <c>file:line</c>), reason and message, in input order (the first 1,000).</summary>
    public IReadOnlyList<ConversionOutcome> Skipped { get; init; } = [];

    /// <summary>Assistant turns that get loss.</summary>
    public long TrainedTurns { get; init; }

    /// <summary>Assistant turns kept in context without loss.</summary>
    public long MaskedTurns { get; init; }

    /// <summary>Erroneous assistant turns (those the DM flagged) by error type; a turn with two flags counts under both.</summary>
    public IReadOnlyDictionary<string, long> ErroneousTurnsByType { get; init; } = new Dictionary<string, long>();
}
