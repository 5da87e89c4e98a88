namespace AgentRefine.Conversion;

/// <summary>The role of a training message.</summary>
public enum TrainingRole
{
    /// <summary>An optional system message; never trained.</summary>
    System,

    /// <summary>What the environment (the DM) says: the task and observations; never trained.</summary>
    User,

    /// <summary>What the agent (the Player) says: <c>Thought: …\nAction: …</c>; trained unless masked.</summary>
    Assistant,
}
