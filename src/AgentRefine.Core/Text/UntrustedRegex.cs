using System.Text;
using System.Text.RegularExpressions;

namespace AgentRefine.Text;

/// <summary>
/// Regular expressions that came from a model or a data file (verification codes, subgoal patterns):
/// untrusted input, so every one of them runs with a match timeout (or the non-backtracking engine).
/// Prepares such a pattern for .NET (Python's named-group syntax) and finds its capture groups in
/// pattern order.
/// </summary>
internal static class UntrustedRegex
{
    /// <summary>
    /// Compiles an untrusted pattern for an unanchored, culture-invariant search that gives up after
    /// <paramref name="matchTimeout"/>; Python's named-group syntax is accepted (<see cref="Translate"/>).
    /// Patterns in the ASCII subset models write are built by <see cref="AsciiPatternRegex"/>, the rest by .NET.
    /// </summary>
    /// <param name="pattern">The pattern as written by the model or the data file.</param>
    /// <param name="matchTimeout">The timeout of one match; positive and finite.</param>
    /// <returns>The compiled expression.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="matchTimeout"/> is not positive.</exception>
    /// <exception cref="ArgumentException"><paramref name="pattern"/> does not compile.</exception>
    public static Regex Create(string pattern, TimeSpan matchTimeout)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(matchTimeout, TimeSpan.Zero);
        var translated = Translate(pattern);
        return AsciiPatternRegex.TryCreate(translated, matchTimeout) ?? new Regex(translated, RegexOptions.CultureInvariant, matchTimeout);
    }

    /// <summary>Rewrites Python's named-group syntax, which models often write: <c>(?P&lt;n&gt;</c> to <c>(?&lt;n&gt;</c> and <c>(?P=n)</c> to <c>\k&lt;n&gt;</c>.</summary>
    public static string Translate(string pattern)
    {
        if (!pattern.Contains("(?P", StringComparison.Ordinal))
        {
            return pattern;
        }

        var builder = new StringBuilder(pattern.Length);
        var inClass = false;
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\\' && i + 1 < pattern.Length)
            {
                builder.Append(c).Append(pattern[++i]);
                continue;
            }

            if (inClass)
            {
                inClass = c != ']';
                builder.Append(c);
                continue;
            }

            if (c == '[')
            {
                inClass = true;
            }
            else if (c == '(' && string.CompareOrdinal(pattern, i, "(?P<", 0, 4) == 0)
            {
                builder.Append("(?<");
                i += 3;
                continue;
            }
            else if (c == '(' && string.CompareOrdinal(pattern, i, "(?P=", 0, 4) == 0)
            {
                var close = pattern.IndexOf(')', i);
                if (close > 0)
                {
                    builder.Append("\\k<").Append(pattern, i + 4, close - i - 4).Append('>');
                    i = close;
                    continue;
                }
            }

            builder.Append(c);
        }

        return builder.ToString();
    }

    /// <summary>
    /// The numbers of the capturing groups of <paramref name="regex"/> in the order their opening
    /// parentheses appear in <paramref name="pattern"/> (.NET numbers unnamed groups before named
    /// ones; models expect Python's left-to-right numbering). Falls back to .NET's order when the
    /// pattern uses constructs this scan does not follow.
    /// </summary>
    public static int[] GroupsInPatternOrder(string pattern, Regex regex)
    {
        var dotnetOrder = regex.GetGroupNumbers().Where(n => n != 0).ToArray();
        var ordered = new List<int>();
        var unnamed = 0;
        var inClass = false;
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\\')
            {
                i++;
                continue;
            }

            if (inClass)
            {
                inClass = c != ']';
                continue;
            }

            if (c == '[')
            {
                inClass = true;

                // A ']' right after '[' or '[^' is a literal.
                if (i + 1 < pattern.Length && pattern[i + 1] == '^')
                {
                    i++;
                }

                if (i + 1 < pattern.Length && pattern[i + 1] == ']')
                {
                    i++;
                }

                continue;
            }

            if (c != '(')
            {
                continue;
            }

            if (i + 1 >= pattern.Length || pattern[i + 1] != '?')
            {
                ordered.Add(++unnamed);
                continue;
            }

            if (i + 2 < pattern.Length && pattern[i + 2] is '<' or '\'' && i + 3 < pattern.Length && pattern[i + 3] is not ('=' or '!'))
            {
                var close = pattern.IndexOfAny(['>', '\''], i + 3);
                if (close < 0)
                {
                    return dotnetOrder;
                }

                var name = pattern[(i + 3)..close].Split('-')[0];
                if (name.Length > 0)
                {
                    var number = regex.GroupNumberFromName(name);
                    if (number < 0)
                    {
                        return dotnetOrder;
                    }

                    if (!ordered.Contains(number))
                    {
                        ordered.Add(number);
                    }
                }
            }
        }

        return ordered.Count == dotnetOrder.Length && ordered.Order().SequenceEqual(dotnetOrder.Order()) ? [.. ordered] : dotnetOrder;
    }
}
