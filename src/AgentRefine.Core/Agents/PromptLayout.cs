using AgentRefine.Environments;
using Microsoft.Extensions.AI;

namespace AgentRefine.Agents;

/// <summary>
/// A prompt layout: the messages for the next step, the action found in a reply, and the request
/// settings. The context budget is shared: while the messages exceed <c>ContextLength − new tokens</c>,
/// the oldest history entry is dropped (never the instruction, examples or goal), and the whole prompt
/// is counted again, exactly as AgentBoard does.
/// </summary>
internal abstract class PromptLayout
{
    private readonly ITokenCounter _counter;

    protected PromptLayout(AgentRunnerOptions options, ITokenCounter counter)
    {
        Options = options;
        _counter = counter;
    }

    protected AgentRunnerOptions Options { get; }

    public static PromptLayout Create(AgentRunnerOptions options, ITokenCounter counter) => options.Layout switch
    {
        AgentPromptLayout.AgentBoard => new AgentBoardPromptLayout(options, counter),
        _ => new ReActPromptLayout(options, counter),
    };

    /// <summary>The request settings of every step.</summary>
    public virtual ChatOptions CreateOptions() => new()
    {
        ModelId = Options.ModelId,
        Temperature = Options.Temperature,
        MaxOutputTokens = Options.EffectiveMaxOutputTokens,
        AdditionalProperties = new() { [Llm.LlmResponseProperties.Role] = Llm.AgentRefineChatRoles.Agent },
    };

    /// <summary>The action in a reply, or <see langword="null"/> when it has none.</summary>
    public abstract string? ParseAction(string reply);

    /// <summary>The feedback observation for a reply without an action.</summary>
    public abstract string MissingActionFeedback { get; }

    /// <summary>The messages for the next step, after the context budget; <paramref name="dropped"/> history entries were left out.</summary>
    public IList<ChatMessage> Build(EnvironmentStart start, IReadOnlyList<AgentHistoryEntry> history, out int dropped)
    {
        var budget = Options.ContextLength - Options.EffectiveMaxOutputTokens;
        var entries = HistoryEntryCount(history);
        dropped = 0;
        var messages = Render(start, history, dropped);
        while (dropped < entries && Count(messages) > budget)
        {
            dropped++;
            messages = Render(start, history, dropped);
        }

        return messages;
    }

    /// <summary>The number of droppable history entries the layout shows for <paramref name="history"/>.</summary>
    protected abstract int HistoryEntryCount(IReadOnlyList<AgentHistoryEntry> history);

    /// <summary>Renders the prompt without its <paramref name="skip"/> oldest history entries.</summary>
    protected abstract IList<ChatMessage> Render(EnvironmentStart start, IReadOnlyList<AgentHistoryEntry> history, int skip);

    /// <summary>The prompt's tokens: each message's text plus <see cref="EstimatedTokenCounter.MessageOverhead"/>.</summary>
    public int Count(IList<ChatMessage> messages)
    {
        var total = 0;
        foreach (var message in messages)
        {
            total += _counter.CountTokens(message.Text ?? string.Empty) + EstimatedTokenCounter.MessageOverhead;
        }

        return total;
    }
}
