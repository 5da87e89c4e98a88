using Microsoft.Extensions.AI;

namespace AgentRefine.Llm;

/// <summary>What one model call cost and who answered it.</summary>
/// <param name="Role">The stage: <c>script</c> or <c>trajectory</c>.</param>
/// <param name="PromptVersion">The prompt version used.</param>
/// <param name="ModelId">The model id the response reported.</param>
/// <param name="InputTokens">Input tokens the response reported (0 when not reported).</param>
/// <param name="OutputTokens">Output tokens the response reported (0 when not reported).</param>
/// <param name="Retries">Transport retries the call needed.</param>
/// <param name="Cached">Whether the response came from the disk cache.</param>
/// <param name="FinishReason">Why the model stopped (<c>stop</c>, <c>length</c>, ...).</param>
public sealed record LlmCall(string Role, string PromptVersion, string? ModelId, long InputTokens, long OutputTokens, int Retries, bool Cached, string? FinishReason)
{
    /// <summary>Input tokens the server reported as read from its prompt cache (part of <see cref="InputTokens"/>; 0 when not reported).</summary>
    public long CachedInputTokens { get; init; }

    /// <summary>Reads the call's facts from a response.</summary>
    /// <param name="role">The stage.</param>
    /// <param name="promptVersion">The prompt version.</param>
    /// <param name="response">The response.</param>
    /// <returns>The call.</returns>
    public static LlmCall FromResponse(string role, string promptVersion, ChatResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return new LlmCall(
            role,
            promptVersion,
            response.ModelId,
            response.Usage?.InputTokenCount ?? 0,
            response.Usage?.OutputTokenCount ?? 0,
            LlmResponseProperties.GetInt32(response.AdditionalProperties, LlmResponseProperties.Retries),
            LlmResponseProperties.GetBoolean(response.AdditionalProperties, LlmResponseProperties.Cached),
            response.FinishReason?.Value)
        {
            CachedInputTokens = response.Usage?.CachedInputTokenCount ?? 0,
        };
    }
}
