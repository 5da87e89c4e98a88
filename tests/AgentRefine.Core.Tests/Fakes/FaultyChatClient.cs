using System.Security.Cryptography;
using System.Text;
using AgentRefine.Llm;
using Microsoft.Extensions.AI;

namespace AgentRefine.Core.Tests.Fakes;

/// <summary>
/// Wraps a client and, deterministically per request and try, answers a share of requests with a
/// fault: 429 (with Retry-After), 500, a stall (until cancelled), or garbage (truncated JSON).
/// </summary>
internal sealed class FaultyChatClient(IChatClient inner, double faultRate) : DelegatingChatClient(inner)
{
    // Tries are counted per request, so which calls fail does not depend on how concurrent calls interleave.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> _tries = new(StringComparer.Ordinal);

    public int Faults { get; private set; }

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var list = messages.ToList();
        var request = string.Join("|", list.Select(m => m.Text)) + "#" + LlmResponseProperties.GetInt32(options?.AdditionalProperties, LlmResponseProperties.Attempt);
        var key = request + "#" + _tries.AddOrUpdate(request, 1, (_, tries) => tries + 1);
        var roll = SHA256.HashData(Encoding.UTF8.GetBytes(key));
        if (roll[0] / 256.0 >= faultRate)
        {
            return await base.GetResponseAsync(list, options, cancellationToken);
        }

        Faults++;
        switch (roll[1] % 4)
        {
            case 0:
                throw new LlmTransportException("Too Many Requests", 429, TimeSpan.FromMilliseconds(1));
            case 1:
                throw new LlmTransportException("Internal Server Error", 500);
            case 2:
                await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
                throw new InvalidOperationException("unreachable");
            default:
                var response = await base.GetResponseAsync(list, options, cancellationToken);
                var text = response.Text;
                return ScriptedChatClient.Respond(text[..(text.Length / 3)], "simulated-model", list);
        }
    }
}
