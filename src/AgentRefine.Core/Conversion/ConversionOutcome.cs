namespace AgentRefine.Conversion;

/// <summary>The result of converting one record: a conversation, or why there is none.</summary>
/// <param name="Id">The record id (or its <c>file:line</c> when the line had no id).</param>
/// <param name="Conversation">The conversation, when emitted.</param>
/// <param name="SkipReason">Why not: <c>unreadable-line</c>, <c>rejected-record</c>, a verification code (<c>script-…</c>, <c>json-format</c>, <c>not-completed</c>, …), or <c>no-trained-turn</c>.</param>
/// <param name="Message">A human explanation of the skip.</param>
public sealed record ConversionOutcome(string Id, TrainingConversation? Conversation, string? SkipReason, string? Message)
{
    /// <summary>The skip reason of an unreadable line.</summary>
    public const string UnreadableLine = "unreadable-line";

    /// <summary>The skip reason of a record whose status is not accepted.</summary>
    public const string RejectedRecord = "rejected-record";

    /// <summary>The skip reason of a conversation in which no assistant turn would be trained.</summary>
    public const string NoTrainedTurn = "no-trained-turn";
}
