namespace AgentRefine.Conversion;

/// <summary>How the Player's mistaken turns are treated.</summary>
public enum ConversionMode
{
    /// <summary>The paper's refinement tuning: mistaken turns stay in context with no loss (CLI <c>mask-errors</c>).</summary>
    MaskErroneous,

    /// <summary>The paper's "w/ erroneous loss" ablation: every assistant turn is trained (CLI <c>train-all</c>).</summary>
    TrainAll,

    /// <summary>
    /// A proxy for the paper's "w/o refinement data" ablation: each mistaken Player turn and the DM's
    /// error reply after it are removed, leaving an error-free trajectory (CLI <c>strip-errors</c>).
    /// </summary>
    StripErroneous,
}
