namespace AgentRefine.Conversion;

/// <summary>What <see cref="RecordStatisticsCalculator"/> takes from one line: found by a worker, counted in input order.</summary>
/// <param name="Kind">What the line is.</param>
/// <param name="Text">The unreadable line's message, or the rejected record's reason (<c>unknown</c> when it names none).</param>
/// <param name="Persona">The record's persona text, if it has one.</param>
/// <param name="Goal">A verified record's script goal, if it has one.</param>
/// <param name="Turns">A verified record's kept turns.</param>
/// <param name="ErrorRefineTurns">A verified record's error-refine turns.</param>
/// <param name="Actions">A verified record's script actions.</param>
/// <param name="ParameterErrors">A verified record's DM turns flagging a parameter error.</param>
/// <param name="PlaceErrors">… a place error.</param>
/// <param name="LogicErrors">… a logic error.</param>
internal readonly record struct RecordFacts(
    RecordFactKind Kind,
    string? Text,
    string? Persona,
    string? Goal,
    int Turns,
    int ErrorRefineTurns,
    int Actions,
    int ParameterErrors,
    int PlaceErrors,
    int LogicErrors);
