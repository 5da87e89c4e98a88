using AgentRefine.Conversion;
using AgentRefine.Environments;
using AgentRefine.Scripts;
using Microsoft.Extensions.AI;

namespace AgentRefine.Agents;

/// <summary>
/// The <c>react</c> layout: [system], the first user message rendered from the training rows'
/// <see cref="FirstMessageTemplate"/> (goal, actions, answer format, first observation), then per step
/// the reply as an assistant turn and the observation as the next user turn. A history entry is one
/// step (its reply and observation together, so turns keep alternating).
/// </summary>
internal sealed class ReActPromptLayout(AgentRunnerOptions options, ITokenCounter counter) : PromptLayout(options, counter)
{
    private readonly FirstMessageTemplate _template = options.PromptTemplate is null ? FirstMessageTemplate.DefaultTemplate : new FirstMessageTemplate(options.PromptTemplate);

    public override string MissingActionFeedback =>
        "Your reply has no 'Action:' line, so no action was taken. Answer in exactly this format:\n" + FirstMessageTemplate.OutputFormat;

    public override string? ParseAction(string reply) => AgentActionParser.ParseReAct(reply);

    /// <summary>The first user message for a start (the same rendering as a training row's).</summary>
    public string FirstMessage(EnvironmentStart start)
    {
        var actions = start.Actions.Select(a => new ScriptAction(a.Template, null, null, a.Description)).ToArray();
        return _template.Render(new Script(start.Goal, [], actions), start.Observation);
    }

    protected override int HistoryEntryCount(IReadOnlyList<AgentHistoryEntry> history) => history.Count;

    protected override IList<ChatMessage> Render(EnvironmentStart start, IReadOnlyList<AgentHistoryEntry> history, int skip)
    {
        var messages = new List<ChatMessage>(2 + (2 * (history.Count - skip)));
        if (Options.SystemPrompt is { } system)
        {
            messages.Add(new ChatMessage(ChatRole.System, system));
        }

        messages.Add(new ChatMessage(ChatRole.User, FirstMessage(start)));
        for (var i = skip; i < history.Count; i++)
        {
            messages.Add(new ChatMessage(ChatRole.Assistant, history[i].Reply));
            messages.Add(new ChatMessage(ChatRole.User, history[i].Observation));
        }

        return messages;
    }
}
