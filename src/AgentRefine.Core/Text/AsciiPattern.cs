using System.Collections;

namespace AgentRefine.Text;

/// <summary>
/// A regular expression in the small subset that models write as verification codes (literals,
/// <c>\s \d \w</c> and their negations, <c>.</c>, ASCII character classes, groups, alternation,
/// greedy and lazy quantifiers, <c>^ $ \A \Z \z \b \B</c>, a leading <c>(?i)</c>), compiled to a
/// program that <see cref="AsciiPatternRunner"/> runs over ASCII input. Parsing is strict: anything
/// outside the subset, anything .NET would reject and anything whose meaning could differ from .NET's
/// (empty-matching loop bodies, captures inside repeated groups, non-ASCII pattern text) makes
/// <see cref="TryParse(string)"/> return <see langword="null"/>, and the pattern goes to .NET's engine instead.
/// </summary>
internal sealed class AsciiPattern
{
    /// <summary>The most instructions a program may have (counted repeats are expanded).</summary>
    internal const int MaxInstructions = 1_024;

    private AsciiPattern(string pattern, AsciiInstruction[] program, ulong[] sets, int groupCount, string[]? names, Hashtable? nameNumbers)
    {
        Pattern = pattern;
        Program = program;
        Sets = sets;
        GroupCount = groupCount;
        GroupNames = names;
        NameNumbers = nameNumbers;
        AnchoredAtStart = program.Length > 0 && program[0].Op == AsciiOp.Beginning;
    }

    /// <summary>The pattern text.</summary>
    public string Pattern { get; }

    /// <summary>The instructions; the last is <see cref="AsciiOp.Match"/>.</summary>
    public AsciiInstruction[] Program { get; }

    /// <summary>Character sets over ASCII, two 64-bit words each, indexed by <see cref="AsciiInstruction.Argument"/>.</summary>
    public ulong[] Sets { get; }

    /// <summary>The number of groups including group 0 (.NET's <c>capsize</c>).</summary>
    public int GroupCount { get; }

    /// <summary>.NET's list of group names (numbered groups first, then named ones), or <see langword="null"/> when no group is named.</summary>
    public string[]? GroupNames { get; }

    /// <summary>Name (and number text) to group number, as .NET keeps it, or <see langword="null"/> when no group is named.</summary>
    public Hashtable? NameNumbers { get; }

    /// <summary>Whether every match must start at the beginning of the input.</summary>
    public bool AnchoredAtStart { get; }

    /// <summary>Parses <paramref name="pattern"/> when it lies within the subset.</summary>
    /// <param name="pattern">The pattern (.NET syntax).</param>
    /// <returns>The compiled pattern, or <see langword="null"/> when .NET's engine must handle it.</returns>
    public static AsciiPattern? TryParse(string pattern) => TryParse(pattern, out _, anchor: false);

    /// <summary>
    /// Parses <paramref name="pattern"/> once and compiles it twice: as written, and anchored to the
    /// whole input as <c>\A(?:…)\z</c> would be (a leading <c>(?i)</c> stays in front, which means the same).
    /// </summary>
    /// <param name="pattern">The pattern (.NET syntax).</param>
    /// <param name="anchored">The anchored form, when the pattern lies in the subset.</param>
    /// <returns>The compiled pattern, or <see langword="null"/> when .NET's engine must handle it.</returns>
    public static AsciiPattern? TryParse(string pattern, out AsciiPattern? anchored) => TryParse(pattern, out anchored, anchor: true);

    private static AsciiPattern? TryParse(string pattern, out AsciiPattern? anchored, bool anchor)
    {
        anchored = null;
        ArgumentNullException.ThrowIfNull(pattern);
        if (pattern.Length == 0 || pattern.Length > 4 * MaxInstructions || !System.Text.Ascii.IsValid(pattern))
        {
            return null;
        }

        var parser = new AsciiPatternParser(pattern);
        var tree = parser.Parse();
        if (tree is null)
        {
            return null;
        }

        var compiler = new AsciiPatternCompiler(parser.UnnamedGroups, parser.IgnoreCase);
        if (!compiler.Compile(tree))
        {
            return null;
        }

        var compiled = Create(pattern, compiler, parser);
        if (anchor && compiled.Program.Length + 2 <= MaxInstructions)
        {
            var text = parser.IgnoreCase ? @"(?i)\A(?:" + pattern[4..] + @")\z" : @"\A(?:" + pattern + @")\z";
            anchored = compiled.Anchor(text);
        }

        return compiled;
    }

    /// <summary>
    /// This program anchored to the whole input, <c>\A(?:…)\z</c>: a <see cref="AsciiOp.Beginning"/> in
    /// front, every instruction moved one place on (with its jump targets), and <see cref="AsciiOp.End"/>
    /// where <see cref="AsciiOp.Match"/> was, before a new one. The groups and sets are the same.
    /// </summary>
    private AsciiPattern Anchor(string text)
    {
        var program = new AsciiInstruction[Program.Length + 2];
        program[0] = new AsciiInstruction(AsciiOp.Beginning);
        for (var i = 0; i < Program.Length - 1; i++)
        {
            var instruction = Program[i];
            program[i + 1] = instruction.Op switch
            {
                AsciiOp.Split => instruction with { Argument = instruction.Argument + 1, Alternative = instruction.Alternative + 1 },
                AsciiOp.Jump => instruction with { Argument = instruction.Argument + 1 },
                _ => instruction,
            };
        }

        program[^2] = new AsciiInstruction(AsciiOp.End);
        program[^1] = new AsciiInstruction(AsciiOp.Match);
        return new AsciiPattern(text, program, Sets, GroupCount, GroupNames, NameNumbers);
    }

    private static AsciiPattern Create(string pattern, AsciiPatternCompiler compiler, AsciiPatternParser parser)
    {
        string[]? names = null;
        Hashtable? numbers = null;
        if (parser.Names.Count > 0)
        {
            names = new string[1 + parser.UnnamedGroups + parser.Names.Count];
            numbers = [];
            for (var i = 0; i <= parser.UnnamedGroups; i++)
            {
                names[i] = i.ToString(System.Globalization.CultureInfo.InvariantCulture);
                numbers[names[i]] = i;
            }

            for (var i = 0; i < parser.Names.Count; i++)
            {
                names[1 + parser.UnnamedGroups + i] = parser.Names[i];
                numbers[parser.Names[i]] = 1 + parser.UnnamedGroups + i;
            }
        }

        return new AsciiPattern(pattern, compiler.Program, compiler.Sets, 1 + parser.UnnamedGroups + parser.Names.Count, names, numbers);
    }
}
