namespace AgentRefine.Trajectories;

/// <summary>Who speaks in a turn.</summary>
public enum TurnRole
{
    /// <summary>The Dungeon Master: thinks, describes what the player observes, flags the player's errors, judges completion. JSON <c>"DM"</c>.</summary>
    DM,

    /// <summary>The Player: a ReAct step, a thought then one action. JSON <c>"Player"</c>.</summary>
    Player,
}
