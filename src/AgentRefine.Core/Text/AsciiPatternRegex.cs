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
    /// The same pattern anchored to the whole input, <c>\A(?:…)\z</c> (a leading <c>(?i)</c> kept in
    /// front, which means the same), or <see langword="null"/> when that form leaves the subset.
    /// </summary>
    public static Regex? TryCreateAnchored(AsciiPatternRegex regex, TimeSpan matchTimeout)
    {
        ArgumentNullException.ThrowIfNull(regex);
        var text = regex.pattern!;
        var anchored = text.StartsWith("(?i)", StringComparison.Ordinal)
            ? @"(?i)\A(?:" + text[4..] + @")\z"
            : @"\A(?:" + text + @")\z";
        return TryCreate(anchored, matchTimeout);
    }

    /// <summary>Creates runners for one <see cref="AsciiPatternRegex"/>.</summary>
    private sealed class RunnerFactory(AsciiPatternRegex owner) : RegexRunnerFactory
    {
        protected override RegexRunner CreateInstance() => new AsciiPatternRunner(owner);
    }
}
