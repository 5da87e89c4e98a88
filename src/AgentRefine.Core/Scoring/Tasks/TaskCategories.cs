namespace AgentRefine.Scoring;

/// <summary>AgentBoard's task categories. A category is reported only when all its tasks were run.</summary>
public static class TaskCategories
{
    /// <summary>The categories and their tasks.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> All { get; } = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
    {
        ["embodied"] = ["alfworld", "scienceworld", "babyai"],
        ["game"] = ["jericho", "pddl"],
        ["web"] = ["webshop", "webarena"],
        ["tool"] = ["tool-query", "tool-operation"],
    };
}
