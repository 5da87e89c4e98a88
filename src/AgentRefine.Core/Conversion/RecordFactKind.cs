namespace AgentRefine.Conversion;

/// <summary>What a line of a records file is, for <see cref="RecordStatisticsCalculator"/>.</summary>
internal enum RecordFactKind
{
    /// <summary>Not a record.</summary>
    Unreadable,

    /// <summary>A record whose status is not accepted.</summary>
    Rejected,

    /// <summary>An accepted record that fails verification today.</summary>
    FailingVerification,

    /// <summary>An accepted record that passes verification.</summary>
    Verified,
}
