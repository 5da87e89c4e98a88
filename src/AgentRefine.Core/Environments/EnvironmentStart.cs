namespace AgentRefine.Environments;

/// <summary>What an environment gives the agent when an episode starts.</summary>
/// <param name="Goal">The goal to reach.</param>
/// <param name="Observation">The first observation.</param>
public sealed record EnvironmentStart(string Goal, string Observation)
{
    /// <summary>The instruction the environment's own reference agent sends (its rules and action list in prose), shown by the <c>agentboard</c> layout; <see langword="null"/> when it has none.</summary>
    public string? Instruction { get; init; }

    /// <summary>The actions, shown by the <c>react</c> layout as the first message's action list. Default: none.</summary>
    public IReadOnlyList<EnvironmentAction> Actions { get; init; } = [];

    /// <summary>Worked examples (<c>Observation: ...</c> / <c>Action: ...</c> transcripts), shown by the <c>agentboard</c> layout. Default: none.</summary>
    public IReadOnlyList<string> Examples { get; init; } = [];

    /// <summary>Help commands the agent may use when an action is not understood (<c>check valid actions</c>, <c>inventory</c>), shown by the <c>agentboard</c> layout. Default: none.</summary>
    public IReadOnlyList<string> HelpCommands { get; init; } = [];

    /// <summary>The system message the environment's reference agent sends, or <see langword="null"/> for the layout's default.</summary>
    public string? SystemMessage { get; init; }

    /// <summary>The task instance's difficulty label (<c>easy</c>, <c>hard</c>), when the environment has one; written into the episode.</summary>
    public string? Difficulty { get; init; }
}
