namespace AgentRefine.Conversion;

/// <summary>The chat role names the OpenAI-style formats use.</summary>
internal static class RoleNames
{
    public static string Of(TrainingRole role) => role switch
    {
        TrainingRole.System => "system",
        TrainingRole.User => "user",
        _ => "assistant",
    };
}
