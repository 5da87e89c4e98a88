namespace AgentRefine.Conversion;

/// <summary>
/// A refinement-tuning sample: an optional system message, then user and assistant messages that
/// alternate, starting with the user and ending with the assistant. Each assistant message says
/// whether it is trained (the paper's <c>w_k</c>).
/// </summary>
/// <param name="Id">The record id.</param>
/// <param name="Messages">The messages.</param>
public sealed record TrainingConversation(string Id, IReadOnlyList<TrainingMessage> Messages)
{
    /// <summary>The system message's text, if the conversation has one.</summary>
    public string? System => Messages.Count > 0 && Messages[0].Role == TrainingRole.System ? Messages[0].Content : null;

    /// <summary>The messages after the system message.</summary>
    public IEnumerable<TrainingMessage> Dialogue => Messages.SkipWhile(m => m.Role == TrainingRole.System);

    /// <summary>Assistant messages that get loss.</summary>
    public int TrainedTurns => Messages.Count(m => m.Role == TrainingRole.Assistant && m.Train);

    /// <summary>Assistant messages kept in context without loss.</summary>
    public int MaskedTurns => Messages.Count(m => m.Role == TrainingRole.Assistant && !m.Train);
}
