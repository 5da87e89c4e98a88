namespace AgentRefine.Agents;

/// <summary>Finds the action in a model reply. Model output is untrusted: linear scans, no regular expressions, bounded results.</summary>
internal static class AgentActionParser
{
    /// <summary>The longest action passed on to an environment, in characters.</summary>
    public const int MaxActionLength = 1_000;

    /// <summary>
    /// The <c>react</c> rule: the last line that starts with <c>Action:</c> (any case; leading white space
    /// and Markdown marks <c>* # &gt; - _ `</c> allowed, also between the word and the colon); the text after
    /// the colon, or, when that is empty, the next non-empty line (AgentGym's <c>Action:\n&lt;action&gt;</c>
    /// layout); trimmed of white space, <c>*</c> and <c>`</c>. <see langword="null"/> when there is no such line or it is empty.
    /// </summary>
    public static string? ParseReAct(string reply)
    {
        var lines = reply.ReplaceLineEndings("\n").Split('\n');
        for (var i = lines.Length - 1; i >= 0; i--)
        {
            if (AfterActionLabel(lines[i]) is not { } rest)
            {
                continue;
            }

            var action = Clean(rest);
            for (var next = i + 1; action.Length == 0 && next < lines.Length; next++)
            {
                action = Clean(lines[next]);
            }

            return action.Length == 0 ? null : Bound(action);
        }

        return null;
    }

    /// <summary>
    /// AgentBoard's VanillaAgent rule: when the reply mentions "action", the first line holding "action"
    /// (any case) and a colon gives the text after its first colon, and a line holding "action" and
    /// "is to" the text after "is to"; otherwise (or when that is empty) the reply's first line; then
    /// trimmed of white space, <c>'</c> and <c>/</c>, first line only. <see langword="null"/> when empty.
    /// </summary>
    public static string? ParseAgentBoard(string reply)
    {
        var text = reply.ReplaceLineEndings("\n");
        var action = text;
        if (text.Contains("action", StringComparison.OrdinalIgnoreCase))
        {
            var lines = text.Split('\n');
            for (var i = 0; i < lines.Length; i++)
            {
                var line = lines[i];
                if (line.Contains("next action", StringComparison.Ordinal) && line.Contains(':', StringComparison.Ordinal))
                {
                    for (var next = i + 1; next < lines.Length; next++)
                    {
                        if (lines[next].Length > 0)
                        {
                            action = lines[next];
                            break;
                        }
                    }
                }

                if (line.Split(':')[0].EndsWith("with action input", StringComparison.OrdinalIgnoreCase))
                {
                    action = line;
                    break;
                }

                var mentions = line.Contains("action", StringComparison.OrdinalIgnoreCase);
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                if (mentions && colon >= 0 && colon + 1 < line.Length)
                {
                    action = line[(colon + 1)..];
                    break;
                }

                var isTo = line.IndexOf("is to", StringComparison.Ordinal);
                if (mentions && isTo >= 0 && isTo + 5 < line.Length)
                {
                    action = line[(isTo + 5)..];
                    break;
                }
            }
        }

        if (action.Trim().Length == 0)
        {
            action = text.Split('\n')[0];
        }

        action = action.Trim().Trim('\'', '/').Split('\n')[0];
        return action.Length == 0 ? null : Bound(action);
    }

    private static string? AfterActionLabel(string line)
    {
        var i = 0;
        while (i < line.Length && (char.IsWhiteSpace(line[i]) || line[i] is '*' or '#' or '>' or '-' or '_' or '`'))
        {
            i++;
        }

        if (!line.AsSpan(i).StartsWith("action", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        i += "action".Length;
        while (i < line.Length && (line[i] is ' ' or '\t' or '*' or '_' or '`'))
        {
            i++;
        }

        return i < line.Length && line[i] == ':' ? line[(i + 1)..] : null;
    }

    private static string Clean(string text) => text.Trim().Trim('*', '`').Trim();

    private static string Bound(string action) => action.Length > MaxActionLength ? action[..MaxActionLength] : action;
}
