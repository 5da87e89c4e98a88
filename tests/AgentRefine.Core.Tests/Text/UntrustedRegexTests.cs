using System.Text.RegularExpressions;
using AgentRefine.Text;

namespace AgentRefine.Core.Tests.Text;

public class UntrustedRegexTests
{
    [Theory]
    [InlineData(@"take (\w+)", @"take (\w+)")]
    [InlineData(@"(?P<obj>\w+) in (?P=obj)", @"(?<obj>\w+) in \k<obj>")]
    [InlineData(@"[(?P<x>]", @"[(?P<x>]")]
    [InlineData(@"\(?P<x>", @"\(?P<x>")]
    public void Python_named_groups_are_translated_outside_classes_and_escapes(string pattern, string translated)
    {
        UntrustedRegex.Translate(pattern).Should().Be(translated);
    }

    [Fact]
    public void Create_always_sets_the_match_timeout()
    {
        var regex = UntrustedRegex.Create(@"(?P<n>\d+)", TimeSpan.FromMilliseconds(50));

        regex.MatchTimeout.Should().Be(TimeSpan.FromMilliseconds(50));
        regex.Options.Should().Be(RegexOptions.CultureInvariant);
        regex.Match("a 42").Groups["n"].Value.Should().Be("42");
        var unlimited = () => UntrustedRegex.Create("a", Regex.InfiniteMatchTimeout);
        unlimited.Should().Throw<ArgumentOutOfRangeException>();
        var zero = () => UntrustedRegex.Create("a", TimeSpan.Zero);
        zero.Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void Groups_are_numbered_in_pattern_order()
    {
        const string pattern = @"(?<b>\w+) (\w+) (?<a>\w+)";
        var regex = new Regex(pattern, RegexOptions.None, TimeSpan.FromSeconds(1));

        UntrustedRegex.GroupsInPatternOrder(pattern, regex).Should().Equal(regex.GroupNumberFromName("b"), 1, regex.GroupNumberFromName("a"));
    }
}
