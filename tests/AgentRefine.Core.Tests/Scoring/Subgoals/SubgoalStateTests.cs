using System.Text.RegularExpressions;
using AgentRefine.Scoring;

namespace AgentRefine.Core.Tests.Scoring;

public class SubgoalStateTests
{
    private static EpisodeStep Step(string observation) => new("act", observation, true, false);

    [Fact]
    public void Regex_flags_are_sticky_and_count_every_match_of_a_step()
    {
        var flags = new RegexSubgoalFlags([@"apple \d", "fridge", "(unclosed"]);

        flags.Update(Step("apple 1 in the fridge"));
        flags.Update(Step("nothing"));
        flags.Update(Step("apple 2 in the fridge"));

        (flags.Total, flags.Reached).Should().Be((3, 2));
        flags.Problems.Should().ContainSingle().Which.Should().StartWith("subgoal pattern \"(unclosed\" does not compile: ");
    }

    [Fact]
    public void Remaining_subgoals_award_the_first_match_once_per_step()
    {
        var subgoals = new RemainingSubgoals(["b", "a", "a b"], new NormalizedTextSubgoalMatcher());

        subgoals.Award(Step("a b"), "a b");
        (subgoals.Points, subgoals.Rate).Should().Be((1, 1.0 / 3), "only the first remaining match, 'b', scores");
        subgoals.Award(Step("a b"), "a b");
        subgoals.Award(Step("a b"), "a b");
        subgoals.Award(Step("a b"), "a b");
        (subgoals.Total, subgoals.Points, subgoals.Rate).Should().Be((3, 3, 1.0));
        new RemainingSubgoals([], new NormalizedTextSubgoalMatcher()).Rate.Should().Be(0);
    }

    [Fact]
    public void The_regex_matcher_refuses_a_timeout_that_is_not_positive()
    {
        new RegexSubgoalMatcher().MatchTimeout.Should().Be(TimeSpan.FromMilliseconds(100));
        new RegexSubgoalMatcher(TimeSpan.FromSeconds(2)).MatchTimeout.Should().Be(TimeSpan.FromSeconds(2));
        foreach (var timeout in new[] { TimeSpan.Zero, TimeSpan.FromMilliseconds(-5), Regex.InfiniteMatchTimeout })
        {
            var create = () => new RegexSubgoalMatcher(timeout);
            create.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("matchTimeout");
        }
    }

    [Fact]
    public void The_regex_matcher_reports_a_timeout_as_no_match()
    {
        var matcher = new RegexSubgoalMatcher(TimeSpan.FromMilliseconds(20));

        matcher.Matches("^((?:a|aa)+)$", Step("x"), new string('a', 60) + "!").Should().BeFalse();

        matcher.Problems.Should().Equal("subgoal pattern \"^((?:a|aa)+)$\" timed out after 20 ms (counted as no match)");
    }
}
