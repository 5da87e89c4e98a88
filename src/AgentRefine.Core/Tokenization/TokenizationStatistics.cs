namespace AgentRefine.Tokenization;

/// <summary>What <see cref="ChatRowTokenization.RunAsync"/> read and wrote.</summary>
public sealed class TokenizationStatistics
{
    /// <summary>Rows read (non-blank lines).</summary>
    public long RowsIn { get; internal set; }

    /// <summary>Rows written.</summary>
    public long RowsOut { get; internal set; }

    /// <summary>Rows skipped because they have more tokens than the maximum length (never cut).</summary>
    public long OverMaxLength { get; internal set; }

    /// <summary>Rows refused (they break a rule of the chat template or of the input shape), with their <c>file:line</c>.</summary>
    public IReadOnlyList<RefusedRow> Refused => RefusedRows;

    /// <summary>Tokens in the rows written.</summary>
    public long Tokens { get; internal set; }

    /// <summary>Trained tokens (labels that are not -100) in the rows written.</summary>
    public long TrainedTokens { get; internal set; }

    /// <summary>The most tokens in one row, written or skipped for its length.</summary>
    public int LongestRow { get; internal set; }

    /// <summary>Bytes written.</summary>
    public long BytesOut { get; internal set; }

    internal List<RefusedRow> RefusedRows { get; } = [];
}
