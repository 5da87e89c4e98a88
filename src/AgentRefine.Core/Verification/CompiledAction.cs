using System.Text.RegularExpressions;
using AgentRefine.Scripts;

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
    private readonly Dictionary<string, HashSet<string>> _allowed;

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
        _allowed = action.Parameters.ToDictionary(
            p => p.Name,
            p => p.Values.Select(v => v.Trim()).ToHashSet(StringComparer.Ordinal),
            StringComparer.Ordinal);
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
        Match match;
        try
        {
            match = _fullMatch.Match(input);
        }
        catch (RegexMatchTimeoutException)
        {
            return new ActionMatch(ActionMatchStatus.TimedOut, null, [], $"matching {MessageText.Quote(Action.Template)} timed out after {Regex.MatchTimeout.TotalMilliseconds:0} ms");
        }

        if (!match.Success || (!_anchored && (match.Index != 0 || match.Length != input.Length)))
        {
            return new ActionMatch(ActionMatchStatus.NoMatch, null, [], $"it does not fully match the verification code of {MessageText.Quote(Action.Template)}");
        }

        var values = new KeyValuePair<string, string>[_placeholders.Count];
        string? invalid = null;
        for (var i = 0; i < values.Length; i++)
        {
            var name = _placeholders[i];
            var group = match.Groups[_groups[i]];
            var value = group.Success ? group.Value.Trim() : string.Empty;
            values[i] = new(name, value);
            if (invalid is null && !(_allowed.TryGetValue(name, out var allowed) && allowed.Contains(value)))
            {
                invalid = $"{MessageText.Quote(value)} is not a valid value of {{{name}}} in {MessageText.Quote(Action.Template)}";
            }
        }

        return invalid is null
            ? new ActionMatch(ActionMatchStatus.Matched, Action, values, string.Empty)
            : new ActionMatch(ActionMatchStatus.InvalidValue, Action, values, invalid);
    }
}
