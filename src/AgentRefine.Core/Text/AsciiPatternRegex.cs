using System.Text.RegularExpressions;

namespace AgentRefine.Text;

/// <summary>
/// A <see cref="Regex"/> for a pattern in the <see cref="AsciiPattern"/> subset, built without .NET's
/// pattern compiler (which costs tens of microseconds per pattern, and every LLM-written script brings
/// new ones). It is a real <see cref="Regex"/>: <c>Match</c>, groups, names, options and the match
/// timeout behave as .NET defines them, through the same extensibility point the regex source
/// generator uses. ASCII input is matched by <see cref="AsciiPatternRunner"/>; any other input is
/// matched by .NET's engine, compiled from the same pattern on first need.
/// </summary>
internal sealed class AsciiPatternRegex : Regex
{
    private Regex? _engine;

    private AsciiPatternRegex(AsciiPattern compiled, TimeSpan matchTimeout)
    {
        ValidateMatchTimeout(matchTimeout);
        Compiled = compiled;
        pattern = compiled.Pattern;
        roptions = RegexOptions.CultureInvariant;
        internalMatchTimeout = matchTimeout;
        capsize = compiled.GroupCount;
        if (compiled.GroupNames is { } names)
        {
            CapNames = compiled.NameNumbers!;
            capslist = names;
        }

        factory = new RunnerFactory(this);
    }

    /// <summary>The compiled pattern.</summary>
    internal AsciiPattern Compiled { get; }

    /// <summary>.NET's own compilation of the same pattern, for input the ASCII runner does not take.</summary>
    internal Regex Engine => _engine ??= new Regex(pattern!, roptions, internalMatchTimeout);

    /// <summary>
    /// A culture-invariant regex for <paramref name="pattern"/> with <paramref name="matchTimeout"/>,
    /// when the pattern lies in the <see cref="AsciiPattern"/> subset; otherwise <see langword="null"/>
    /// (compile it with <see cref="Regex(string, RegexOptions, TimeSpan)"/>).
    /// </summary>
    public static Regex? TryCreate(string pattern, TimeSpan matchTimeout) =>
        AsciiPattern.TryParse(pattern) is { } compiled ? new AsciiPatternRegex(compiled, matchTimeout) : null;

    /// <summary>
    /// As <see cref="TryCreate"/>, with the same pattern anchored to the whole input (<c>\A(?:…)\z</c>)
    /// parsed once with it: <see cref="Anchored"/>.
    /// </summary>
    public static AsciiPatternRegex? TryCreateWithAnchored(string pattern, TimeSpan matchTimeout)
    {
        if (AsciiPattern.TryParse(pattern, out var whole) is not { } compiled)
        {
            return null;
        }

        var regex = new AsciiPatternRegex(compiled, matchTimeout);
        regex.Anchored = whole is null ? null : new AsciiPatternRegex(whole, matchTimeout);
        return regex;
    }

    /// <summary>
    /// Matches without a <see cref="Match"/> object when the input suits the ASCII matcher: the same
    /// answer and timeout as <see cref="Regex.Match(string)"/>, with each group's start and end in
    /// <paramref name="captures"/> (two entries per group, -1 when a group did not take part).
    /// Returns <see langword="false"/> when the input must go through <see cref="Regex.Match(string)"/> instead.
    /// </summary>
    /// <exception cref="RegexMatchTimeoutException">The match ran past the timeout.</exception>
    internal bool TryMatchDirect(ReadOnlySpan<char> input, Span<int> captures, out bool matched, out int start, out int end)
    {
        if (!AsciiPatternMatcher.CanMatch(Compiled, input))
        {
            matched = false;
            start = end = -1;
            return false;
        }

        matched = AsciiPatternMatcher.TryMatch(Compiled, input, 0, internalMatchTimeout, captures, out start, out end);
        return true;
    }

    /// <summary>The anchored form made by <see cref="TryCreateWithAnchored"/>, if any.</summary>
    internal AsciiPatternRegex? Anchored { get; private set; }

    /// <summary>Creates runners for one <see cref="AsciiPatternRegex"/>.</summary>
    private sealed class RunnerFactory(AsciiPatternRegex owner) : RegexRunnerFactory
    {
        protected override RegexRunner CreateInstance() => new AsciiPatternRunner(owner);
    }
}
