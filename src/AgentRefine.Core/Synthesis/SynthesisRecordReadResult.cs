namespace AgentRefine.Synthesis;

/// <summary>One line of a records file: the record, or why the line is not one.</summary>
/// <param name="Source">Where the line is, as <c>file:line</c>.</param>
/// <param name="Record">The record, when the line is one (its <see cref="SynthesisRecord.Source"/> is <paramref name="Source"/>).</param>
/// <param name="Error">Why the line is not a record (<c>file:line: ...</c>), when it is not.</param>
public sealed record SynthesisRecordReadResult(string Source, SynthesisRecord? Record, string? Error);
