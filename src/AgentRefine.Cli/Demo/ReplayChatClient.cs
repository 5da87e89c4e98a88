using System.Text.Json;
using AgentRefine.Llm;
using Microsoft.Extensions.AI;

namespace AgentRefine.Cli.Demo;

/// <summary>
/// A chat client that answers from recorded responses (<c>samples/replay/responses.jsonl</c>), keyed by
/// the request's record id, role and attempt number. It is the demo's stand-in for a model: its
/// replies go through the real parsing, verification and conversion code. A request it has no
/// recording for fails with a message that says so.
/// </summary>
internal sealed class ReplayChatClient : IChatClient
{
    /// <summary>The model id the replayed responses report.</summary>
    public const string ModelId = "replay (recorded responses, not a live model)";

    private readonly Dictionary<(string Record, string Role, int Attempt), string> _responses;

    private ReplayChatClient(Dictionary<(string, string, int), string> responses) => _responses = responses;

    /// <summary>Loads the recordings.</summary>
    /// <param name="path">The recordings file.</param>
    /// <returns>The client.</returns>
    public static ReplayChatClient Load(string path)
    {
        var responses = new Dictionary<(string, string, int), string>();
        var number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            responses[(root.GetProperty("record").GetString()!, root.GetProperty("role").GetString()!, root.GetProperty("attempt").GetInt32())] = root.GetProperty("text").GetString()!;
        }

        return new ReplayChatClient(responses);
    }

    /// <summary>The number of recorded responses.</summary>
    public int Count => _responses.Count;

    /// <inheritdoc />
    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var properties = options?.AdditionalProperties;
        var record = properties is not null && properties.TryGetValue(LlmResponseProperties.RecordId, out var r) ? r as string : null;
        var role = properties is not null && properties.TryGetValue(LlmResponseProperties.Role, out var o) ? o as string : null;
        var attempt = LlmResponseProperties.GetInt32(properties, LlmResponseProperties.Attempt);
        if (record is null || role is null || !_responses.TryGetValue((record, role, attempt), out var text))
        {
            throw new InvalidOperationException($"The replay client has no recorded {role ?? "?"} response for record {record ?? "?"}, attempt {attempt}; it only replays the bundled sample personas. Use --endpoint and --model for a real model.");
        }

        var prompt = messages.Sum(m => (m.Text ?? string.Empty).Length);
        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, text))
        {
            ModelId = ModelId,
            FinishReason = ChatFinishReason.Stop,
            Usage = new UsageDetails { InputTokenCount = prompt / 4, OutputTokenCount = text.Length / 4 },
        });
    }

    /// <inheritdoc />
    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("The replay client does not stream.");

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceType == typeof(ChatClientMetadata) ? new ChatClientMetadata("replay", null, ModelId) : null;

    /// <inheritdoc />
    public void Dispose()
    {
    }
}
