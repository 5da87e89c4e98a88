using System.Globalization;
using System.Text.Json;
using AgentRefine.Llm;
using Microsoft.Extensions.AI;

namespace AgentRefine.Cli.Demo;

/// <summary>
/// The demo's stand-in for the agent and the Dungeon Master of a live game: recorded replies
/// (<c>samples/replay/evaluation.jsonl</c>) keyed by role and turn number. The agent's turn is read from
/// the <c>react</c> prompt (one user message per turn so far), the DM's from its request (<c>Write DM
/// turn N.</c>, or the opening turn 0). The replies go through the real runner, the local parameter
/// verdicts, the DM reply checks, the episodes file and the scorer. A request it has no recording for
/// fails with a message that says so.
/// </summary>
internal sealed class ReplayGameChatClient : IChatClient
{
    /// <summary>The model id the replayed responses report.</summary>
    public const string ModelId = "replay (recorded responses, not a live model)";

    private const string DmTurnLabel = "Write DM turn ";
    private readonly Dictionary<(string Role, int Turn), string> _responses;

    private ReplayGameChatClient(Dictionary<(string, int), string> responses) => _responses = responses;

    /// <summary>Loads the recordings (<c>{"role", "turn", "note", "text"}</c> a line).</summary>
    public static ReplayGameChatClient Load(string path)
    {
        var responses = new Dictionary<(string, int), string>();
        foreach (var line in File.ReadLines(path).Where(l => !string.IsNullOrWhiteSpace(l)))
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            responses[(root.GetProperty("role").GetString()!, root.GetProperty("turn").GetInt32())] = root.GetProperty("text").GetString()!;
        }

        return new ReplayGameChatClient(responses);
    }

    /// <inheritdoc />
    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var list = messages.ToList();
        var role = options?.AdditionalProperties is { } properties && properties.TryGetValue(LlmResponseProperties.Role, out var r) ? r as string : null;
        var turn = role == AgentRefineChatRoles.DungeonMaster ? DmTurn(list) : (2 * list.Count(m => m.Role == ChatRole.User)) - 1;
        if (role is null || !_responses.TryGetValue((role, turn), out var text))
        {
            throw new InvalidOperationException($"The replay client has no recorded {role ?? "?"} reply for turn {turn}; it only replays the bundled sample game. Use --endpoint and --model for a real model.");
        }

        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, text))
        {
            ModelId = ModelId,
            FinishReason = ChatFinishReason.Stop,
            Usage = new UsageDetails { InputTokenCount = list.Sum(m => (m.Text ?? string.Empty).Length) / 4, OutputTokenCount = text.Length / 4 },
        });
    }

    private static int DmTurn(List<ChatMessage> messages)
    {
        var request = messages.LastOrDefault(m => m.Role == ChatRole.User)?.Text ?? string.Empty;
        var at = request.LastIndexOf(DmTurnLabel, StringComparison.Ordinal);
        if (at < 0)
        {
            return 0;
        }

        var start = at + DmTurnLabel.Length;
        var end = start;
        while (end < request.Length && char.IsAsciiDigit(request[end]))
        {
            end++;
        }

        return int.TryParse(request.AsSpan(start, end - start), NumberStyles.None, CultureInfo.InvariantCulture, out var turn) ? turn : -1;
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
