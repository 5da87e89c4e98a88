namespace AgentRefine.Conversion;

/// <summary>How far a pass over a records stream has got, reported after each record it has handled (in input order).</summary>
/// <param name="Records">Non-blank lines handled so far (records, and unreadable lines counted or skipped).</param>
/// <param name="BytesRead">Bytes of the stream up to the end of the last line handled (its line break included), from where the pass started reading.</param>
public readonly record struct RecordReadProgress(long Records, long BytesRead);
