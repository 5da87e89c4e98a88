using System.Text;
using System.Text.RegularExpressions;
using AgentRefine.Text;

namespace AgentRefine.Core.Tests.Text;

/// <summary>
/// The ASCII fast path must be indistinguishable from .NET's engine: every pattern it takes is
/// compared with <c>new Regex(pattern, CultureInvariant, timeout)</c> on many inputs (match, index,
/// length, every group's success, position and captures, group names and numbers).
/// </summary>
public class AsciiPatternRegexTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    /// <summary>Codes as models write them (the generated benchmark's shapes, the samples', and common variants).</summary>
    public static TheoryData<string> RealisticCodes => new()
    {
        @"^\s*go to\s+(.+?)\s*$",
        @"^\s*take\s+(.+?)\s+from\s+(.+?)\s*$",
        @"^\s*scan\s+(.+?)\s+as\s+(\S+)\s*$",
        @"^\s*look\s*$",
        @"^\s*calibrate\s+(.+?)\s+with\s+the\s+kiln\s*$",
        @"^open the crate (red crate|old ledger|spare valve)$",
        @"^\s*stamp\s+(?<item>[a-z ]+?)\s+onto\s+the\s+(?<place>front\s+desk|lab|server\s+room)\s*$",
        @"(?i)^\s*water\s+(?:the\s+)?(garden|greenhouse)\s*$",
        @"^\s*print\s+(?:the\s+)?dusty\s+camera\s*$",
        @"^fold\s+([A-Za-z0-9_ ]+?)\s+into\s+([a-z ]+)\s+by\s+kettle$",
        @"^go (north|south|east|west)$",
        @"^(\w+) the (\w+)$",
        @"^put (.*) in (.*)$",
        @"^buy (\d+) (apples?|pears?)$",
        @"^set temperature to (\d{2,3}) degrees$",
        @"^\s*move\s+(?<piece>[a-h][1-8])\s*-\s*(?<to>[a-h][1-8])\s*$",
        @"\bsearch\b\s+for\s+(.+)",
        @"^ask (?<who>[^,]+), (?<what>.+)\?$",
        @"^email\s+([\w.]+@[\w.]+)\s+(.+)$",
        @"^sell\s+(.+?)(?:\s+for\s+(\d+))?$",
        @"^(?:go|walk|run) to (.+)$",
        @"^click \[(\d+)\]$",
        @"^think: (.*)$",
        @"^search\[(.+)\]$",
        @"^[Ll]ook(?: around)?$",
        @"\Atype ""(.+)"" into (.+)\z",
        @"^rate (.+) (\d)/5$",
        @"^x\.y-z (a|b)\$\^$",
        @"^\s*\$(\d+\.\d\d)\s*$",
        @"^\t?tab(\s)end$",
        @"^(?<first>\w+)\s(\w+)\s(?<third>\w+)$",
        @"(a)|(b)",
        @"^a{3}b{1,2}c{2,}$",
        @"^[^aeiou ]+\s[a-z-]+-?$",
        @"^[\w\s.,'-]+$",
        @"^\B-\b",
        @"^.*$",
        @"end$",
        @"^(.+?)\s*$",
    };

    [Theory]
    [MemberData(nameof(RealisticCodes))]
    public void Realistic_codes_take_the_fast_path_and_agree_with_the_engine(string pattern)
    {
        var fast = AsciiPatternRegex.TryCreate(pattern, Timeout);
        fast.Should().NotBeNull($"{pattern} lies in the ASCII subset");
        var random = new Random(pattern.GetHashCode(StringComparison.Ordinal));
        AssertSameAsEngine(pattern, fast!, Inputs(pattern, random, 300));
        var anchored = AsciiPatternRegex.TryCreateWithAnchored(pattern, Timeout)!.Anchored;
        anchored.Should().NotBeNull();
        AssertSameAsEngine(anchored!.ToString(), anchored, Inputs(pattern, random, 100));
    }

    [Theory]
    [InlineData(@"^(a)+$")] // a capture that repeats
    [InlineData(@"^(?:a|aa)+$")] // a loop over an alternation (catastrophic for backtracking)
    [InlineData(@"^(?:a+)+$")] // nested loops
    [InlineData(@"^(?:\s+\w+)*$")] // a loop over a group
    [InlineData(@"^a{2,1}$")] // invalid in .NET
    [InlineData(@"^a**$")] // nested quantifier, invalid
    [InlineData(@"^(?=a)a$")] // lookahead
    [InlineData(@"^(a)\1$")] // backreference
    [InlineData(@"^(?<n>a)(?<n>b)$")] // a repeated name
    [InlineData(@"^(?<1>a)$")] // a numbered name
    [InlineData(@"^a|")] // an empty branch
    [InlineData(@"^()$")] // an empty group
    [InlineData(@"(?m)^a$")] // inline options other than a leading (?i)
    [InlineData(@"^a(?i)b$")]
    [InlineData(@"^[]a]$")] // a literal ] first
    [InlineData(@"^[a-z-[aeiou]]$")] // class subtraction
    [InlineData(@"^a{,3}$")] // a { that is no quantifier
    [InlineData(@"^a}$")]
    [InlineData(@"^\p{L}+$")] // Unicode categories
    [InlineData(@"^\x41$")]
    [InlineData(@"^é$")] // non-ASCII pattern text
    [InlineData(@"^\_$")] // an escape .NET rejects
    [InlineData(@"^(a$")]
    [InlineData(@"^a)$")]
    [InlineData(@"^(?:a*)*$")]
    [InlineData(@"^a{0}$")]
    [InlineData(@"")]
    public void Constructs_outside_the_subset_are_left_to_the_engine(string pattern)
    {
        AsciiPatternRegex.TryCreate(pattern, Timeout).Should().BeNull();
    }

    [Fact]
    public void Generated_patterns_agree_with_the_engine_on_generated_inputs()
    {
        var random = new Random(20261201);
        var taken = 0;
        for (var i = 0; i < 3_000; i++)
        {
            var pattern = RandomPattern(random, depth: 0);
            if (random.Next(8) == 0)
            {
                pattern = "(?i)" + pattern;
            }

            Regex engine;
            try
            {
                engine = new Regex(pattern, RegexOptions.CultureInvariant, Timeout);
            }
            catch (ArgumentException)
            {
                AsciiPatternRegex.TryCreate(pattern, Timeout).Should().BeNull($"{pattern} does not compile in .NET");
                continue;
            }

            if (AsciiPatternRegex.TryCreate(pattern, Timeout) is not { } fast)
            {
                continue;
            }

            taken++;
            AssertSameAsEngine(pattern, fast, Inputs(pattern, random, 40), engine: engine);
        }

        taken.Should().BeGreaterThan(1_500, "most generated patterns lie in the subset");
    }

    [Fact]
    public void Non_ascii_and_long_input_go_to_the_engine_with_the_same_answers()
    {
        var fast = AsciiPatternRegex.TryCreate(@"^\s*take\s+(.+?)\s+from\s+(?<place>\w+)\s*$", Timeout)!;
        var engine = new Regex(@"^\s*take\s+(.+?)\s+from\s+(?<place>\w+)\s*$", RegexOptions.CultureInvariant, Timeout);
        string[] inputs =
        [
            "take café au lait from kitchen",
            "take tea from küche",
            "take\u00a0tea from kitchen", // a no-break space is \s in .NET
            "take tea from kitchen\u2003",
            "take " + new string('x', 20_000) + " from lab",
        ];
        foreach (var input in inputs)
        {
            Describe(fast.Match(input)).Should().Be(Describe(engine.Match(input)), input);
        }
    }

    [Fact]
    public void Case_insensitive_codes_fold_ascii_letters_only_as_dotnet_does()
    {
        var fast = AsciiPatternRegex.TryCreate(@"(?i)^[^a-c]k(x|Y)\w$", Timeout)!;
        var engine = new Regex(@"(?i)^[^a-c]k(x|Y)\w$", RegexOptions.CultureInvariant, Timeout);
        foreach (var input in new[] { "dKXa", "AkXa", "dky_", "D\u212Ay1", "dkY1", "ckx1", "dKy\u0130" })
        {
            Describe(fast.Match(input)).Should().Be(Describe(engine.Match(input)), input);
        }
    }

    [Fact]
    public void The_match_timeout_is_the_one_given()
    {
        var fast = AsciiPatternRegex.TryCreate(@"^go (.+)$", TimeSpan.FromMilliseconds(250))!;
        fast.MatchTimeout.Should().Be(TimeSpan.FromMilliseconds(250));
        fast.Options.Should().Be(RegexOptions.CultureInvariant);
        var act = () => AsciiPatternRegex.TryCreate(@"^go (.+)$", TimeSpan.Zero);
        act.Should().Throw<ArgumentOutOfRangeException>();
    }

    private static void AssertSameAsEngine(string pattern, Regex fast, IEnumerable<string> inputs, Regex? engine = null)
    {
        engine ??= new Regex(pattern, RegexOptions.CultureInvariant, Timeout);
        fast.ToString().Should().Be(engine.ToString());
        fast.GetGroupNames().Should().Equal(engine.GetGroupNames(), pattern);
        fast.GetGroupNumbers().Should().Equal(engine.GetGroupNumbers(), pattern);
        foreach (var name in engine.GetGroupNames().Concat(["0", "1", "2", "3", "9", "nope", "item"]))
        {
            fast.GroupNumberFromName(name).Should().Be(engine.GroupNumberFromName(name), $"{pattern}: group '{name}'");
        }

        for (var number = -1; number < 6; number++)
        {
            fast.GroupNameFromNumber(number).Should().Be(engine.GroupNameFromNumber(number), $"{pattern}: group {number}");
        }

        foreach (var input in inputs)
        {
            Describe(fast.Match(input)).Should().Be(Describe(engine.Match(input)), $"{pattern} on \"{input}\"");
            fast.IsMatch(input).Should().Be(engine.IsMatch(input));
            var start = input.Length / 3;
            Describe(fast.Match(input, start)).Should().Be(Describe(engine.Match(input, start)), $"{pattern} on \"{input}\" from {start}");
            string.Join(";", fast.Matches(input).Select(Describe)).Should().Be(string.Join(";", engine.Matches(input).Select(Describe)), $"{pattern}: all matches in \"{input}\"");
        }
    }

    private static string Describe(Match match)
    {
        if (!match.Success)
        {
            return "no match";
        }

        var text = new StringBuilder();
        foreach (Group group in match.Groups)
        {
            text.Append('[').Append(group.Name).Append(' ').Append(group.Success).Append(' ').Append(group.Index).Append(' ').Append(group.Length).Append(' ').Append(group.Captures.Count).Append(']');
        }

        return text.ToString();
    }

    /// <summary>Inputs made of the pattern's own characters, letters, digits, spaces and a line feed, with whole words of the pattern mixed in.</summary>
    private static IEnumerable<string> Inputs(string pattern, Random random, int count)
    {
        var alphabet = pattern.Where(c => c >= ' ' && c < 127 && c != '\\').Concat("aAbkKxyz019 _-.\n\t").Distinct().ToArray();
        var words = Regex.Split(pattern, @"[^A-Za-z]+").Where(w => w.Length > 1).ToArray();
        yield return string.Empty;
        for (var i = 0; i < count; i++)
        {
            var text = new StringBuilder();
            var parts = random.Next(1, 8);
            for (var p = 0; p < parts; p++)
            {
                if (words.Length > 0 && random.Next(2) == 0)
                {
                    text.Append(words[random.Next(words.Length)]);
                }
                else
                {
                    text.Append(alphabet[random.Next(alphabet.Length)]);
                }

                if (random.Next(3) == 0)
                {
                    text.Append(' ');
                }
            }

            yield return text.ToString();
        }
    }

    private static string RandomPattern(Random random, int depth)
    {
        var text = new StringBuilder();
        if (random.Next(3) == 0)
        {
            text.Append(random.Next(2) == 0 ? "^" : @"\A");
        }

        var items = random.Next(1, 5);
        for (var i = 0; i < items; i++)
        {
            text.Append(RandomAtom(random, depth));
            if (random.Next(3) == 0)
            {
                text.Append(new[] { "*", "+", "?", "{2}", "{1,3}", "{0,2}", "{2,}", "*?", "+?", "??", "{1,2}?" }[random.Next(11)]);
            }
        }

        if (random.Next(3) == 0)
        {
            text.Append(new[] { "$", @"\z", @"\Z" }[random.Next(3)]);
        }

        if (depth < 2 && random.Next(5) == 0)
        {
            text.Append('|').Append(RandomPattern(random, depth + 1));
        }

        return text.ToString();
    }

    private static string RandomAtom(Random random, int depth)
    {
        switch (random.Next(depth < 2 ? 12 : 9))
        {
            case 0:
                return @"\s";
            case 1:
                return new[] { @"\S", @"\d", @"\D", @"\w", @"\W", "." }[random.Next(6)];
            case 2:
                return new[] { "[a-z]", "[^a-c ]", @"[\w-]", "[A-Za-z0-9_ ]", @"[\s.]", "[k-]", @"[^\d]", "[xyz]" }[random.Next(8)];
            case 3:
                return new[] { @"\b", @"\B" }[random.Next(2)];
            case 4:
                return new[] { @"\.", @"\-", @"\$", " ", @"\n" }[random.Next(5)];
            case 9:
                return "(" + RandomPattern(random, depth + 1) + ")";
            case 10:
                return "(?:" + RandomPattern(random, depth + 1) + ")";
            case 11:
                return "(?<g" + random.Next(1000) + ">" + RandomPattern(random, depth + 1) + ")";
            default:
                return ((char)('a' + random.Next(4))).ToString() + (random.Next(2) == 0 ? "k" : "");
        }
    }
}
