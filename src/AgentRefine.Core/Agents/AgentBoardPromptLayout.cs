using System.Text;
using AgentRefine.Environments;
using Microsoft.Extensions.AI;

namespace AgentRefine.Agents;

/// <summary>
/// AgentBoard's VanillaAgent layout (need_goal on, as in its main configuration): a system message and
/// one user message: the instruction; <c>\nHere are examples:\n</c> and each example followed by a line
/// break; <c>You should perform actions to accomplish the goal: &lt;goal&gt;\n</c>; per help command
/// <c>You should use the following commands for help when your action cannot be understood: &lt;command&gt;\n</c>;
/// then the last <see cref="MemorySize"/> history items (<c>Observation: ...</c>, <c>Action: ...</c>,
/// starting with the first observation) joined by <c>\n</c>, and <c>\nAction: </c>. A history entry is
/// one item. Temperature 0, stop at <c>\n</c>.
/// </summary>
internal sealed class AgentBoardPromptLayout(AgentRunnerOptions options, ITokenCounter counter) : PromptLayout(options, counter)
{
    /// <summary>VanillaAgent's memory size: the history items shown at most.</summary>
    public const int MemorySize = 100;

    public override string MissingActionFeedback => "Your reply held no action, so no action was taken. Write one action on the line after 'Action: '.";

    public override string? ParseAction(string reply) => AgentActionParser.ParseAgentBoard(reply);

    public override ChatOptions CreateOptions()
    {
        var options = base.CreateOptions();
        options.StopSequences = ["\n"];
        return options;
    }

    protected override int HistoryEntryCount(IReadOnlyList<AgentHistoryEntry> history) => Math.Min(MemorySize, 1 + (2 * history.Count));

    protected override IList<ChatMessage> Render(EnvironmentStart start, IReadOnlyList<AgentHistoryEntry> history, int skip)
    {
        var query = new StringBuilder(start.Instruction ?? string.Empty);
        if (start.Examples.Count > 0)
        {
            query.Append("\nHere are examples:\n");
            foreach (var example in start.Examples)
            {
                query.Append(example).Append('\n');
            }
        }

        query.Append("You should perform actions to accomplish the goal: ").Append(start.Goal).Append('\n');
        foreach (var command in start.HelpCommands)
        {
            query.Append("You should use the following commands for help when your action cannot be understood: ").Append(command).Append('\n');
        }

        var items = Items(start, history);
        var first = Math.Max(0, items.Count - MemorySize) + skip;
        for (var i = first; i < items.Count; i++)
        {
            query.Append(items[i]);
            if (i + 1 < items.Count)
            {
                query.Append('\n');
            }
        }

        query.Append("\nAction: ");
        var system = Options.SystemPrompt ?? start.SystemMessage ?? AgentRunnerOptions.AgentBoardSystemMessage;
        return [new ChatMessage(ChatRole.System, system), new ChatMessage(ChatRole.User, query.ToString())];
    }

    private static List<string> Items(EnvironmentStart start, IReadOnlyList<AgentHistoryEntry> history)
    {
        var items = new List<string>(1 + (2 * history.Count)) { "Observation: " + start.Observation };
        foreach (var entry in history)
        {
            items.Add("Action: " + entry.Action);
            items.Add("Observation: " + entry.Observation);
        }

        return items;
    }
}
