namespace AgentRefine.Synthesis;

/// <summary>How a persona ended.</summary>
public enum SynthesisStatus
{
    /// <summary>A verified script and trajectory were produced. JSON <c>"accepted"</c>.</summary>
    Accepted,

    /// <summary>The call budget ran out first; the record keeps every verdict. JSON <c>"rejected"</c>.</summary>
    Rejected,

    /// <summary>
    /// The call budget ran out while some model calls failed in transport (after their retries):
    /// the persona was not judged on its content, so a run does not store it and the next run retries
    /// it. JSON <c>"unfinished"</c>.
    /// </summary>
    Unfinished,
}
