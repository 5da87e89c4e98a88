namespace AgentRefine.Synthesis;

/// <summary>What a step of a persona's history was about.</summary>
public enum SynthesisStage
{
    /// <summary>A script generation and its verdict. JSON <c>"script"</c>.</summary>
    Script,

    /// <summary>A trajectory simulation and its verdict. JSON <c>"trajectory"</c>.</summary>
    Trajectory,

    /// <summary>A generation whose call failed after its transport retries. JSON <c>"call"</c>.</summary>
    Call,
}
