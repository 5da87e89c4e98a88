using System.Text.RegularExpressions;

namespace AgentRefine.Text;

/// <summary>
/// The <see cref="RegexRunner"/> of an <see cref="AsciiPatternRegex"/>: ASCII input is matched by
/// <see cref="AsciiPatternMatcher"/>; input that is not ASCII, or too long for its state table, is
/// matched by .NET's engine and its captures replayed.
/// </summary>
internal sealed class AsciiPatternRunner : RegexRunner
{
    private readonly AsciiPatternRegex _owner;
    private readonly int[] _captures;

    public AsciiPatternRunner(AsciiPatternRegex owner)
    {
        _owner = owner;
        _captures = new int[2 * owner.Compiled.GroupCount];
    }

    protected override void Scan(ReadOnlySpan<char> text)
    {
        var compiled = _owner.Compiled;
        if (!AsciiPatternMatcher.CanMatch(compiled, text))
        {
            ScanWithEngine(text);
            return;
        }

        if (AsciiPatternMatcher.TryMatch(compiled, text, runtextpos, _owner.MatchTimeout, _captures, out var start, out var end))
        {
            for (var group = 1; group < compiled.GroupCount; group++)
            {
                if (_captures[2 * group] >= 0 && _captures[(2 * group) + 1] >= 0)
                {
                    Capture(group, _captures[2 * group], _captures[(2 * group) + 1]);
                }
            }

            Capture(0, start, end);
            runtextpos = end;
        }
    }

    /// <summary>Matches with .NET's engine and replays its captures into this runner's match.</summary>
    private void ScanWithEngine(ReadOnlySpan<char> text)
    {
        var match = _owner.Engine.Match(text.ToString(), runtextpos);
        if (!match.Success)
        {
            return;
        }

        for (var group = 1; group < match.Groups.Count; group++)
        {
            foreach (Capture capture in match.Groups[group].Captures)
            {
                Capture(group, capture.Index, capture.Index + capture.Length);
            }
        }

        Capture(0, match.Index, match.Index + match.Length);
        runtextpos = match.Index + match.Length;
    }
}
