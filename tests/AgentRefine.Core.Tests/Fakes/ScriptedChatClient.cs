using System.Collections.Concurrent;
using Microsoft.Extensions.AI;

namespace AgentRefine.Core.Tests.Fakes;

/// <summary>Replays responses in order (a text, or an exception to throw) and records every request.</summary>
internal sealed class ScriptedChatClient : IChatClient
{
    private readonly ConcurrentQueue<object> _responses;

    public ScriptedChatClient(params object[] responses) => _responses = new ConcurrentQueue<object>(responses);

    public ConcurrentQueue<(IReadOnlyList<ChatMessage> Messages, ChatOptions? Options)> Requests { get; } = new();

    public string ModelId { get; init; } = "scripted-model";

    /// <summary>Prompt-cache tokens each response reports; none when <see langword="null"/>.</summary>
    public long? CachedInputTokens { get; init; }

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Requests.Enqueue((messages.ToList(), options));
        if (!_responses.TryDequeue(out var next))
        {
            throw new InvalidOperationException($"The scripted client ran out of responses at request {Requests.Count}.");
        }

        return next switch
        {
            Exception exception => Task.FromException<ChatResponse>(exception),
            string text => Task.FromResult(WithCachedTokens(Respond(text, ModelId, messages))),
            _ => throw new InvalidOperationException("A scripted response is a string or an exception."),
        };
    }

    public static ChatResponse Respond(string text, string modelId, IEnumerable<ChatMessage> messages) => new(new ChatMessage(ChatRole.Assistant, text))
    {
        ModelId = modelId,
        FinishReason = ChatFinishReason.Stop,
        Usage = new UsageDetails
        {
            InputTokenCount = messages.Sum(m => (m.Text ?? string.Empty).Length) / 4,
            OutputTokenCount = text.Length / 4,
        },
    };

    private ChatResponse WithCachedTokens(ChatResponse response)
    {
        response.Usage!.CachedInputTokenCount = CachedInputTokens;
        return response;
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
