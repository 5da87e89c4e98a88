using System.Text.RegularExpressions;
using AgentRefine.Scripts;
using AgentRefine.Text;

namespace AgentRefine.Verification;

/// <summary>
/// A script action whose verification code is compiled once and whose capture groups are mapped to
/// its placeholders. Matching never throws: a timeout is reported as <see cref="ActionMatchStatus.TimedOut"/>.
/// </summary>
public sealed class CompiledAction
{
    private readonly Regex _fullMatch;
    private readonly bool _anchored;
    private readonly IReadOnlyList<string> _placeholders;
    private readonly int[] _groups;
    private readonly ScriptParameter[] _parameters;
    private readonly string[][] _allowed;
    private ActionMatch? _noMatch;

    /// <summary>Creates a compiled action.</summary>
    /// <param name="action">The script action.</param>
    /// <param name="regex">The compiled verification code.</param>
    /// <param name="fullMatch">The same code anchored to the whole input (<c>\A(?:…)\z</c>), or <see langword="null"/> when it cannot be anchored that way.</param>
    /// <param name="placeholders">The template's placeholder occurrences, left to right.</param>
    /// <param name="groups">The capture group number for each occurrence.</param>
    internal CompiledAction(ScriptAction action, Regex regex, Regex? fullMatch, IReadOnlyList<string> placeholders, int[] groups)
    {
        Action = action;
        Regex = regex;
        _fullMatch = fullMatch ?? regex;
        _anchored = fullMatch is not null;
        _placeholders = placeholders;
        _groups = groups;
        // A script lists a few values per placeholder: a trimmed array searched in order beats a hash set here.
        _parameters = [.. action.Parameters];
        _allowed = new string[_parameters.Length][];
        for (var p = 0; p < _parameters.Length; p++)
        {
            var values = _parameters[p].Values;
            _allowed[p] = new string[values.Count];
            for (var v = 0; v < values.Count; v++)
            {
                _allowed[p][v] = values[v].Trim();
            }
        }
    }

    /// <summary>The script action.</summary>
    public ScriptAction Action { get; }

    /// <summary>The compiled verification code (with the verifier's timeout).</summary>
    public Regex Regex { get; }

    /// <summary>
    /// Matches an action string: trims it, requires a full match, reads each placeholder's value from
    /// its capture group (trimmed) and requires it to be one of the placeholder's values (ordinal).
    /// </summary>
    /// <param name="action">The action string.</param>
    /// <returns>The result; never throws for any input.</returns>
    public ActionMatch Match(string action)
    {
        ArgumentNullException.ThrowIfNull(action);
        var input = action.Trim();
        if (_fullMatch is AsciiPatternRegex direct)
        {
            var captures = direct.Compiled.GroupCount <= 16 ? stackalloc int[2 * direct.Compiled.GroupCount] : new int[2 * direct.Compiled.GroupCount];
            bool handled, matched;
            int start, end;
            try
            {
                handled = direct.TryMatchDirect(input, captures, out matched, out start, out end);
            }
            catch (RegexMatchTimeoutException)
            {
                return TimedOut();
            }

            if (handled)
            {
                if (!matched || (!_anchored && (start != 0 || end != input.Length)))
                {
                    return NoMatch();
                }

                return Values(input, captures);
            }
        }

        Match match;
        try
        {
            match = _fullMatch.Match(input);
        }
        catch (RegexMatchTimeoutException)
        {
            return TimedOut();
        }

        if (!match.Success || (!_anchored && (match.Index != 0 || match.Length != input.Length)))
        {
            return NoMatch();
        }

        return Values(match);
    }

    private ActionMatch TimedOut() =>
        new(ActionMatchStatus.TimedOut, null, [], $"matching {MessageText.Quote(Action.Template)} timed out after {Regex.MatchTimeout.TotalMilliseconds:0} ms");

    /// <summary>The (immutable) no-match answer, made once: most actions tried against a code do not match it.</summary>
    private ActionMatch NoMatch() =>
        _noMatch ??= new(ActionMatchStatus.NoMatch, null, [], $"it does not fully match the verification code of {MessageText.Quote(Action.Template)}");

    /// <summary>Each placeholder's value from its group's start and end in <paramref name="captures"/>.</summary>
    private ActionMatch Values(string input, ReadOnlySpan<int> captures)
    {
        var values = new string[_placeholders.Count];
        for (var i = 0; i < values.Length; i++)
        {
            var (start, end) = (captures[2 * _groups[i]], captures[(2 * _groups[i]) + 1]);
            values[i] = start >= 0 && end >= 0 ? input[start..end].Trim() : string.Empty;
        }

        return Checked(values);
    }

    /// <summary>Each placeholder's value from its group in <paramref name="match"/>.</summary>
    private ActionMatch Values(Match match)
    {
        var values = new string[_placeholders.Count];
        for (var i = 0; i < values.Length; i++)
        {
            var group = match.Groups[_groups[i]];
            values[i] = group.Success ? group.Value.Trim() : string.Empty;
        }

        return Checked(values);
    }

    /// <summary>Whether <paramref name="value"/> is one of the listed values of placeholder <paramref name="name"/> (ordinal).</summary>
    private bool IsAllowed(string name, string value)
    {
        for (var p = 0; p < _parameters.Length; p++)
        {
            if (string.Equals(_parameters[p].Name, name, StringComparison.Ordinal))
            {
                return Array.IndexOf(_allowed[p], value) >= 0;
            }
        }

        return false;
    }

    /// <summary>Requires each placeholder's value to be one of its listed values (ordinal).</summary>
    private ActionMatch Checked(string[] read)
    {
        var values = new KeyValuePair<string, string>[_placeholders.Count];
        string? invalid = null;
        for (var i = 0; i < values.Length; i++)
        {
            var name = _placeholders[i];
            var value = read[i];
            values[i] = new(name, value);
            if (invalid is null && !IsAllowed(name, value))
            {
                invalid = $"{MessageText.Quote(value)} is not a valid value of {{{name}}} in {MessageText.Quote(Action.Template)}";
            }
        }

        return invalid is null
            ? new ActionMatch(ActionMatchStatus.Matched, Action, values, string.Empty)
            : new ActionMatch(ActionMatchStatus.InvalidValue, Action, values, invalid);
    }
}
