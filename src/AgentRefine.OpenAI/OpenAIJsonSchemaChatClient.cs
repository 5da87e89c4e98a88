using Microsoft.Extensions.AI;
using OpenAIChat = OpenAI.Chat;

namespace AgentRefine.OpenAI;

/// <summary>
/// Sends a JSON-schema response format (<see cref="ChatResponseFormat.ForJsonSchema(System.Text.Json.JsonElement, string?, string?)"/>)
/// to the server as given, with <c>strict: false</c>. Microsoft.Extensions.AI.OpenAI would otherwise
/// rewrite the schema for OpenAI's strict structured outputs (every property required,
/// <c>additionalProperties: false</c>, keywords such as <c>minItems</c> moved into descriptions),
/// which changes what vLLM-style servers enforce with guided decoding. The caller's
/// <see cref="ChatOptions"/> is never changed, and a
/// <see cref="ChatOptions.RawRepresentationFactory"/> that already sets a response format wins.
/// </summary>
internal sealed class OpenAIJsonSchemaChatClient(IChatClient innerClient) : DelegatingChatClient(innerClient)
{
    /// <inheritdoc />
    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        base.GetResponseAsync(messages, WithVerbatimSchema(options), cancellationToken);

    /// <inheritdoc />
    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        base.GetStreamingResponseAsync(messages, WithVerbatimSchema(options), cancellationToken);

    /// <summary>A copy of <paramref name="options"/> whose OpenAI request carries the schema verbatim; <paramref name="options"/> itself when it has no schema.</summary>
    internal static ChatOptions? WithVerbatimSchema(ChatOptions? options)
    {
        if (options?.ResponseFormat is not ChatResponseFormatJson { Schema: { } schema } json)
        {
            return options;
        }

        var format = OpenAIChat.ChatResponseFormat.CreateJsonSchemaFormat(
            json.SchemaName ?? "response",
            BinaryData.FromString(schema.GetRawText()),
            json.SchemaDescription,
            jsonSchemaIsStrict: false);
        var outer = options.RawRepresentationFactory;
        var copy = options.Clone();
        copy.RawRepresentationFactory = client =>
        {
            var raw = outer?.Invoke(client);
            if (raw is null)
            {
                return new OpenAIChat.ChatCompletionOptions { ResponseFormat = format };
            }

            if (raw is OpenAIChat.ChatCompletionOptions request && request.ResponseFormat is null)
            {
                request.ResponseFormat = format;
            }

            return raw;
        };
        return copy;
    }
}
