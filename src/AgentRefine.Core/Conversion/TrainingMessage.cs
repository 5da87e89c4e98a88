namespace AgentRefine.Conversion;

/// <summary>One message of a training conversation.</summary>
/// <param name="Role">Who speaks.</param>
/// <param name="Content">The text.</param>
/// <param name="Train">Whether the message gets loss (assistant messages only; always <see langword="false"/> for system and user).</param>
/// <param name="ErrorTypes">For an assistant message the DM flagged as a mistake: the flags (<c>parameter_error</c>, <c>place_error</c>, <c>logic_error</c>); empty otherwise.</param>
public sealed record TrainingMessage(TrainingRole Role, string Content, bool Train, IReadOnlyList<string> ErrorTypes)
{
    /// <summary>Whether the DM flagged this assistant message as a mistake.</summary>
    public bool IsErroneous => ErrorTypes.Count > 0;
}
