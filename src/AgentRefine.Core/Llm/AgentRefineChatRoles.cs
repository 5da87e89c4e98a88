namespace AgentRefine.Llm;

/// <summary>
/// The roles that may each use their own keyed <c>IChatClient</c>
/// (<c>services.AddKeyedSingleton&lt;IChatClient&gt;(AgentRefineChatRoles.Script, ...)</c>); a role
/// without one uses the default <c>IChatClient</c>.
/// </summary>
public static class AgentRefineChatRoles
{
    /// <summary>The script writer.</summary>
    public const string Script = "script";

    /// <summary>The trajectory simulator (Dungeon Master and Player).</summary>
    public const string Trajectory = "trajectory";
}
