using AgentRefine.Conversion;

namespace AgentRefine.Tokenization;

/// <summary>One row of a chat dataset read by <see cref="ChatRowReader"/>.</summary>
/// <param name="Source">Where the row is: <c>file:line</c>.</param>
/// <param name="Id">The row's <c>id</c>, when it has one (a number is kept as its JSON text).</param>
/// <param name="Conversation">The conversation; <see langword="null"/> when the row is refused.</param>
/// <param name="Refusal">Why the row cannot be a training conversation (an unknown role, a weight that is not 0 or 1); <see langword="null"/> when it can.</param>
public sealed record ChatRow(string Source, string? Id, TrainingConversation? Conversation, string? Refusal);
