using System.Text;

namespace AgentRefine.Scripts;

/// <summary>Reads and fills the <c>{placeholder}</c> slots of an action template such as <c>take {item} from {place}</c>.</summary>
public static class ActionTemplate
{
    /// <summary>
    /// The placeholder names in the order they occur (a name used twice is listed twice).
    /// A placeholder is a non-empty run of characters other than braces between <c>{</c> and <c>}</c>; its name is trimmed.
    /// </summary>
    /// <param name="template">The action template.</param>
    /// <returns>The placeholder occurrences, left to right.</returns>
    public static IReadOnlyList<string> Placeholders(string template)
    {
        ArgumentNullException.ThrowIfNull(template);
        var names = new List<string>();
        var open = -1;
        for (var i = 0; i < template.Length; i++)
        {
            switch (template[i])
            {
                case '{':
                    open = i;
                    break;
                case '}' when open >= 0:
                    var name = template.AsSpan(open + 1, i - open - 1).Trim();
                    if (!name.IsEmpty)
                    {
                        names.Add(name.ToString());
                    }

                    open = -1;
                    break;
                default:
                    break;
            }
        }

        return names;
    }

    /// <summary>Replaces every placeholder with its value and trims the result.</summary>
    /// <param name="template">The action template.</param>
    /// <param name="valueOf">Gives the value for a placeholder name.</param>
    /// <returns>The action string.</returns>
    public static string Instantiate(string template, Func<string, string> valueOf)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(valueOf);
        var builder = new StringBuilder(template.Length + 16);
        var open = -1;
        for (var i = 0; i < template.Length; i++)
        {
            var c = template[i];
            if (c == '{')
            {
                if (open >= 0)
                {
                    builder.Append(template, open, i - open);
                }

                open = i;
            }
            else if (c == '}' && open >= 0)
            {
                var name = template.AsSpan(open + 1, i - open - 1).Trim();
                if (name.IsEmpty)
                {
                    builder.Append(template, open, i - open + 1);
                }
                else
                {
                    builder.Append(valueOf(name.ToString()));
                }

                open = -1;
            }
            else if (open < 0)
            {
                builder.Append(c);
            }
        }

        if (open >= 0)
        {
            builder.Append(template, open, template.Length - open);
        }

        return builder.ToString().Trim();
    }
}
