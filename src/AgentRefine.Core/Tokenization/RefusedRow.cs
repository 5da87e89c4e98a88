namespace AgentRefine.Tokenization;

/// <summary>A row that was not tokenized, and why.</summary>
/// <param name="Source">Where it is: <c>file:line</c>.</param>
/// <param name="Id">Its id, when it has one.</param>
/// <param name="Reason">The rule it breaks.</param>
public sealed record RefusedRow(string Source, string? Id, string Reason);
