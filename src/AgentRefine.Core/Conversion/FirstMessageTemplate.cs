using System.Text;
using AgentRefine.Scripts;

namespace AgentRefine.Conversion;

/// <summary>
/// Renders the first user message of a conversation from a template with <c>{{placeholders}}</c>:
/// <c>{{goal}}</c>, <c>{{actions}}</c> (one line per action: <c>- template: description</c>),
/// <c>{{completion_conditions}}</c>, <c>{{output_format}}</c> and <c>{{observation}}</c> (the DM's
/// first observation). The hidden environment is never available to a template.
/// </summary>
public sealed class FirstMessageTemplate
{
    /// <summary>The default template.</summary>
    public const string Default = """
        You are an agent in a text-based environment. Reach the goal by taking one action per turn. After each action you will see what happens; if an action is invalid or does not work, read the feedback and correct yourself.

        Goal: {{goal}}

        Available actions:
        {{actions}}

        Answer every turn in exactly this format:
        {{output_format}}

        {{observation}}
        """;

    /// <summary>The required answer format, as shown by <c>{{output_format}}</c>.</summary>
    public const string OutputFormat = "Thought: <your reasoning>\nAction: <one action, written exactly in the format of an available action>";

    private static readonly string[] Known = ["goal", "actions", "completion_conditions", "output_format", "observation"];
    private readonly string _template;

    /// <summary>Parses a template.</summary>
    /// <param name="template">The template text.</param>
    /// <exception cref="FormatException">The template names a placeholder that does not exist, or has an unclosed one.</exception>
    public FirstMessageTemplate(string template)
    {
        ArgumentNullException.ThrowIfNull(template);
        var position = 0;
        while ((position = template.IndexOf("{{", position, StringComparison.Ordinal)) >= 0)
        {
            var close = template.IndexOf("}}", position + 2, StringComparison.Ordinal);
            if (close < 0)
            {
                throw new FormatException($"The prompt template has an unclosed placeholder at character {position}.");
            }

            var name = template[(position + 2)..close].Trim();
            if (Array.IndexOf(Known, name) < 0)
            {
                throw new FormatException($"The prompt template uses an unknown placeholder {{{{{name}}}}}; known placeholders: {string.Join(", ", Known.Select(k => "{{" + k + "}}"))}.");
            }

            position = close + 2;
        }

        _template = template.Replace("\r\n", "\n", StringComparison.Ordinal);
    }

    /// <summary>The default template, parsed.</summary>
    public static FirstMessageTemplate DefaultTemplate { get; } = new(Default);

    /// <summary>Renders the first user message.</summary>
    /// <param name="script">The script (its environment is not used).</param>
    /// <param name="firstObservation">The DM's first observation.</param>
    /// <returns>The message text.</returns>
    public string Render(Script script, string firstObservation)
    {
        ArgumentNullException.ThrowIfNull(script);
        ArgumentNullException.ThrowIfNull(firstObservation);
        var actions = new StringBuilder();
        foreach (var action in script.AvailableActions)
        {
            actions.Append("- ").Append(action.Template);
            if (!string.IsNullOrWhiteSpace(action.Description))
            {
                actions.Append(": ").Append(action.Description.Trim());
            }

            actions.Append('\n');
        }

        var result = new StringBuilder(_template.Length + actions.Length + firstObservation.Length + 256);
        var position = 0;
        while (true)
        {
            var open = _template.IndexOf("{{", position, StringComparison.Ordinal);
            if (open < 0)
            {
                result.Append(_template, position, _template.Length - position);
                break;
            }

            var close = _template.IndexOf("}}", open + 2, StringComparison.Ordinal);
            result.Append(_template, position, open - position);
            result.Append(_template[(open + 2)..close].Trim() switch
            {
                "goal" => script.Goal ?? string.Empty,
                "actions" => actions.ToString().TrimEnd('\n'),
                "completion_conditions" => string.Join("\n", script.CompletionConditions.Select(c => "- " + c)),
                "output_format" => OutputFormat,
                _ => firstObservation,
            });
            position = close + 2;
        }

        return result.ToString().Trim();
    }
}
