namespace AgentRefine.Synthesis;

/// <summary>One line of a records file: the record, or why the line is not one.</summary>
/// <param name="Source">Where the line is, as <c>file:line</c>.</param>
/// <param name="Record">The record, when the line is one.</param>
/// <param name="Error">Why the line is not a record (<c>file:line: ...</c>), when it is not.</param>
public sealed record StoredRecordRead(string Source, StoredRecord? Record, string? Error);
