using Microsoft.Extensions.AI;

namespace AgentRefine.Benchmarks;

/// <summary>A model stand-in that answers after a fixed latency with the sample script or the sample game.</summary>
internal sealed class FixedLatencyChatClient(TimeSpan latency, string script, string game) : IChatClient
{
    private long _calls;

    public long Calls => Interlocked.Read(ref _calls);

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _calls);
        await Task.Delay(latency, cancellationToken).ConfigureAwait(false);
        var isScript = Equals(options?.AdditionalProperties?["agentrefine.role"], "script");
        return new ChatResponse(new ChatMessage(ChatRole.Assistant, isScript ? script : game))
        {
            ModelId = "fixed-latency",
            Usage = new UsageDetails { InputTokenCount = 1000, OutputTokenCount = 500 },
        };
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
