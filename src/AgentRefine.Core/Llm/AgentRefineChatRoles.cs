namespace AgentRefine.Llm;

/// <summary>
/// The roles that may each use their own chat client, registered with
/// <c>services.AddKeyedChatClient(AgentRefineChatRoles.Trajectory, ...)</c>; a role without one uses the
/// default <c>IChatClient</c> (<c>services.AddChatClient(...)</c>).
/// </summary>
public static class AgentRefineChatRoles
{
    /// <summary>The script writer: persona → script.</summary>
    public const string Script = "script";

    /// <summary>The trajectory simulator: plays Dungeon Master and Player in one call.</summary>
    public const string Trajectory = "trajectory";

    /// <summary>The Dungeon Master of a live episode: answers an agent's actions in a synthesized environment.</summary>
    public const string DungeonMaster = "dm";

    /// <summary>The agent under evaluation.</summary>
    public const string Agent = "agent";

    /// <summary>A judge model (for example, judging free-form answers).</summary>
    public const string Judge = "judge";

    /// <summary>Every role, in pipeline order.</summary>
    public static IReadOnlyList<string> All { get; } = [Script, Trajectory, DungeonMaster, Agent, Judge];
}
