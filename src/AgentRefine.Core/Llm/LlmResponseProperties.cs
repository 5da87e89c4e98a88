using Microsoft.Extensions.AI;

namespace AgentRefine.Llm;

/// <summary>Keys the library's chat-client wrappers set in <see cref="ChatResponse.AdditionalProperties"/> and <see cref="ChatOptions.AdditionalProperties"/>.</summary>
public static class LlmResponseProperties
{
    /// <summary>Response: how many transport retries the call needed (<see cref="int"/>), set by <see cref="ResilientChatClient"/>.</summary>
    public const string Retries = "agentrefine.retries";

    /// <summary>Response: <see langword="true"/> when it came from <see cref="ResponseCacheChatClient"/>'s disk cache.</summary>
    public const string Cached = "agentrefine.cached";

    /// <summary>
    /// Request option: the generation's attempt number within a persona (<see cref="int"/>). It is part
    /// of the response cache's key, so that a regeneration with an identical prompt is a new call.
    /// </summary>
    public const string Attempt = "agentrefine.attempt";

    /// <summary>
    /// Request option: the id of the record (persona) the call works for. It is part of the response
    /// cache's key, so two personas never share a cached answer even when their prompts are identical.
    /// </summary>
    public const string RecordId = "agentrefine.record";

    /// <summary>Request option: the role of the call (<c>script</c>, <c>trajectory</c>), for logs and traces.</summary>
    public const string Role = "agentrefine.role";

    /// <summary>Reads an <see cref="int"/> property written by the library (tolerating a round trip through JSON).</summary>
    /// <param name="properties">The properties.</param>
    /// <param name="key">The key.</param>
    /// <returns>The value, or 0.</returns>
    public static int GetInt32(AdditionalPropertiesDictionary? properties, string key) =>
        properties is not null && properties.TryGetValue(key, out var value)
            ? value switch
            {
                int i => i,
                long l => (int)l,
                System.Text.Json.JsonElement { ValueKind: System.Text.Json.JsonValueKind.Number } e => e.GetInt32(),
                _ => 0,
            }
            : 0;

    /// <summary>Whether a boolean property is set to <see langword="true"/>.</summary>
    /// <param name="properties">The properties.</param>
    /// <param name="key">The key.</param>
    /// <returns>The value, or <see langword="false"/>.</returns>
    public static bool GetBoolean(AdditionalPropertiesDictionary? properties, string key) =>
        properties is not null && properties.TryGetValue(key, out var value) && value is true;
}
