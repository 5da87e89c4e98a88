namespace AgentRefine.Scoring;

/// <summary>The paper's score table as data (<see cref="ScoringReportWriter.ToTable"/>): what <see cref="ScoringReportWriter.ToMarkdown"/> prints, for other renderers.</summary>
/// <param name="Columns">The column headers, <c>run</c> first.</param>
/// <param name="Rows">One row per run, one cell per column (the run name first).</param>
public sealed record ScoringTable(IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<ScoringTableCell>> Rows);
