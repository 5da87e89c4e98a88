using System.Text.RegularExpressions;
using AgentRefine.Tokenization;

namespace AgentRefine.Core.Tests.Tokenization;

public sealed class TokenizationTextTests
{
    // Python 3.11: [c for c in range(0x110000) if chr(c).isspace()].
    private static readonly int[] PythonSpaces =
    [
        0x9, 0xA, 0xB, 0xC, 0xD, 0x1C, 0x1D, 0x1E, 0x1F, 0x20, 0x85, 0xA0, 0x1680,
        0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200A,
        0x2028, 0x2029, 0x202F, 0x205F, 0x3000,
    ];

    [Fact]
    public void Python_whitespace_is_exactly_the_set_str_strip_removes()
    {
        Enumerable.Range(0, 0x10000).Where(c => AgentRefine.Tokenization.PythonWhitespace.IsWhiteSpace((char)c)).Should().Equal(PythonSpaces);
        AgentRefine.Tokenization.PythonWhitespace.Trim("\x1c\u0085 a b\u3000\x1f").Should().Be("a b");
        AgentRefine.Tokenization.PythonWhitespace.Trim("\uFEFFa\u200B").Should().Be("\uFEFFa\u200B");
    }

    [Fact]
    public void The_rewritten_pattern_matches_code_points()
    {
        var llama3 = @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";
        var codeUnits = new Regex(llama3);
        var codePoints = new Regex(CodePointPattern.Rewrite(llama3));

        Pieces(codePoints, "🚀Launch a𠀀b x𝟎𝟏𝟐𝟑y").Should().Equal("🚀Launch", " a𠀀b", " x", "𝟎𝟏𝟐", "𝟑", "y");
        Pieces(codeUnits, "🚀Launch a𠀀b").Should().Equal("🚀", "Launch", " a", "𠀀", "b");
        // Text inside the Basic Multilingual Plane splits the same either way.
        Pieces(codePoints, "don't 1234 ```x``` \r\n\n  y").Should().Equal(Pieces(codeUnits, "don't 1234 ```x``` \r\n\n  y"));
    }

    [Fact]
    public void Constructs_the_rewrite_cannot_translate_are_named()
    {
        var act = () => CodePointPattern.Rewrite(@"\p{Han}+");
        act.Should().Throw<NotSupportedException>().WithMessage(@"the Unicode property \p{Han} (only general categories such as L, Lu, N, Nd, P, S, Z are translated)");
    }

    [Fact]
    public void Special_tokens_are_found_leftmost_then_longest()
    {
        var matcher = new SpecialTokenMatcher(new Dictionary<string, int> { ["<a>"] = 1, ["<a><b>"] = 2, ["<b>"] = 3 });

        matcher.TryFind("x<b>y<a><b>", out var index, out var length, out var id).Should().BeTrue();
        (index, length, id).Should().Be((1, 3, 3));
        matcher.TryFind("y<a><b>", out index, out length, out id).Should().BeTrue();
        (index, length, id).Should().Be((1, 6, 2));
        matcher.FindFirst("plain").Should().BeNull();
    }

    private static List<string> Pieces(Regex regex, string text) => [.. regex.Matches(text).Select(m => m.Value)];
}
