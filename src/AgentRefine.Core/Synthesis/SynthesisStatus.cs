namespace AgentRefine.Synthesis;

/// <summary>How a persona ended.</summary>
public enum SynthesisStatus
{
    /// <summary>A verified script and trajectory were produced. JSON <c>"accepted"</c>.</summary>
    Accepted,

    /// <summary>The call budget ran out first; the record keeps every verdict. JSON <c>"rejected"</c>.</summary>
    Rejected,
}
