using Microsoft.Extensions.AI;

namespace AgentRefine.Llm;

/// <summary>Builds the <see cref="ChatOptions"/> of a generation from its stage's settings.</summary>
internal static class ChatRequestFactory
{
    public static ChatOptions CreateOptions(GenerationOptions settings, string role, int attempt, string? recordId, string schemaResource, string schemaName)
    {
        var options = new ChatOptions
        {
            ModelId = settings.ModelId,
            Temperature = settings.Temperature,
            MaxOutputTokens = settings.MaxOutputTokens,
            Seed = settings.Seed is { } seed ? seed + attempt : null,
            ResponseFormat = settings.StructuredOutput switch
            {
                StructuredOutputMode.JsonObject => ChatResponseFormat.Json,
                StructuredOutputMode.JsonSchema => ChatResponseFormat.ForJsonSchema(PromptResources.Json(schemaResource), schemaName),
                _ => null,
            },
            AdditionalProperties = new()
            {
                [LlmResponseProperties.Role] = role,
                [LlmResponseProperties.Attempt] = attempt,
            },
        };
        if (recordId is not null)
        {
            options.AdditionalProperties[LlmResponseProperties.RecordId] = recordId;
        }

        return options;
    }
}
