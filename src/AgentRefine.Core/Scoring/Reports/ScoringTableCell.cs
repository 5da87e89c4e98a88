namespace AgentRefine.Scoring;

/// <summary>One cell of a <see cref="ScoringTable"/>.</summary>
/// <param name="Text">The text: a percentage with one decimal, <c>–</c> for a task the run did not run, or the run name.</param>
/// <param name="IsHeldIn">Whether the cell is a held-in task's score (Markdown wraps it in <c>&lt;ins&gt;</c>; a terminal may underline it).</param>
public readonly record struct ScoringTableCell(string Text, bool IsHeldIn);
