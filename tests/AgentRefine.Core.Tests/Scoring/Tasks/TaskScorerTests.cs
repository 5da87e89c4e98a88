using AgentRefine.Scoring;

namespace AgentRefine.Core.Tests.Scoring;

public class TaskScorerTests
{
    private static readonly AgentBoardScorer Scorer = new();

    private static EpisodeStep S(string observation, string action = "act", bool valid = true, bool done = false, params string[] facts) =>
        new(action, observation, valid, done, facts.Length == 0 ? null : facts);

    private static EpisodeScore Score(string task, string[] subgoals, params EpisodeStep[] steps) =>
        Scorer.Score(new Episode("m", task, 1, "easy", "goal", subgoals, steps));

    private static (int, double)[] Changes(EpisodeScore score) => score.ScoreChangeRecord.Select(c => (c.Step, Math.Round(c.Progress, 4))).ToArray();

    [Fact]
    public void Alfworld_divides_by_k_plus_one_and_jumps_to_one_when_done()
    {
        var score = Score("alfworld", [@"You pick up the apple \d", @"(?=.*apple)(?=.*fridge)You put"],
            S("You pick up the apple 1 from the table."),
            S("Nothing happens.", valid: false),
            S("You put the apple 1 in/on the fridge 1."),
            S("You win!", done: true),
            S("ignored after done", valid: false));

        Changes(score).Should().Equal((0, 0.3333), (2, 0.6667), (3, 1.0));
        Score("alfworld", [@"you pick up"], S("You pick up the apple 1.")).Progress.Should().Be(0, "re.search is case-sensitive");
        score.Progress.Should().Be(1.0);
        score.Success.Should().BeTrue();
        score.StepsTaken.Should().Be(4, "steps after done are ignored");
        score.Grounding.Should().Be(0.75);
    }

    [Fact]
    public void Alfworld_without_done_never_reaches_one()
    {
        var score = Score("alfworld", ["a", "b"], S("a and b both at once"));
        score.Progress.Should().BeApproximately(2.0 / 3, 1e-12, "any number of flags per step, over K + 1");
        score.Success.Should().BeFalse();
    }

    [Fact]
    public void Alfworld_flags_are_sticky_and_python_named_groups_work()
    {
        var score = Score("alfworld", [@"(?P<obj>apple) \d"], S("apple 3"), S("nothing"));
        score.Progress.Should().Be(0.5);
        score.ScoreChangeRecord.Should().ContainSingle();
    }

    [Fact]
    public void A_bad_or_catastrophic_pattern_is_no_match_and_a_diagnostic()
    {
        var score = Score("alfworld", ["(unclosed", "^((?:a|aa)+)$", "ok"], S(new string('a', 60) + "! ok"));
        score.Progress.Should().BeApproximately(1.0 / 4, 1e-12);
        score.Diagnostics.Should().HaveCount(2);
        score.Diagnostics.Should().Contain(d => d.StartsWith("subgoal pattern \"(unclosed\" does not compile", StringComparison.Ordinal));
        score.Diagnostics.Should().Contain("subgoal pattern \"^((?:a|aa)+)$\" timed out after 100 ms (counted as no match)");
    }

    [Fact]
    public void SciWorld_ignores_check_valid_actions_and_succeeds_on_all_flags()
    {
        var score = Score("scienceworld", ["thermometer", "boil"],
            S("thermometer boil", action: "check valid actions"),
            S("You pick up the thermometer."),
            S("The water starts to boil."),
            S("never reached"));

        Changes(score).Should().Equal((1, 0.5), (2, 1.0));
        score.Success.Should().BeTrue();
        score.StepsTaken.Should().Be(3, "success ends the episode");
    }

    [Fact]
    public void SciWorld_ending_without_all_flags_is_a_failure()
    {
        var score = Score("scienceworld", ["a", "b"], S("a"), S("game over", done: true));
        score.Success.Should().BeFalse();
        score.Progress.Should().Be(0.5);
        score.StepsTaken.Should().Be(2);
    }

    [Fact]
    public void BabyAI_awards_at_most_one_subgoal_per_step_first_in_list_order()
    {
        var score = Score("babyai", ["You pick up a ** key", "You open a ** door", "**The task is completed"],
            S("You open a red door. You pick up a blue key."),
            S("You open a red door. You pick up a blue key."),
            S("You go forward."));

        Changes(score).Should().Equal((0, 0.3333), (1, 0.6667));
        score.Success.Should().BeFalse();
    }

    [Fact]
    public void BabyAI_appends_the_completion_text_when_done()
    {
        var score = Score("babyai", ["You pick up a * key", "The task is completed"],
            S("You pick up a green key."),
            S("You reached the goal.", done: true));

        score.Progress.Should().Be(1.0);
        score.Success.Should().BeTrue();
    }

    [Fact]
    public void BabyAI_done_at_half_or_less_is_not_done()
    {
        var score = Score("babyai", ["alpha", "beta", "gamma", "delta"],
            S("alpha", done: true),
            S("beta"),
            S("gamma"),
            S("delta"));

        score.StepsTaken.Should().Be(4, "done with PR <= 0.5 does not end the episode");
        score.Progress.Should().Be(1.0);
        score.Success.Should().BeTrue("PR == 1 makes it done");
    }

    [Fact]
    public void BabyAI_pieces_must_all_be_in_one_sentence_and_dots_are_stripped()
    {
        Score("babyai", ["..red** ball.."], S("You see a red box. You see a ball")).Progress.Should().Be(0, "the pieces are in two sentences");
        Score("babyai", ["..red** ball.."], S("You see a red ball. Done")).Progress.Should().Be(1);
        Score("babyai", ["Red* ball"], S("a red ball")).Progress.Should().Be(0, "matching is case-sensitive");
    }

    [Fact]
    public void Jericho_normalizes_and_skips_check_valid_actions()
    {
        var score = Score("jericho", ["You're carrying: a lamp!", "Opening the mailbox reveals a leaflet."],
            S("Opening the mailbox reveals a leaflet", action: "check valid actions"),
            S("Youre carrying a lamp"),
            S("Opening the mailbox, reveals a leaflet"));

        Changes(score).Should().Equal((1, 0.5), (2, 1.0));
        score.Success.Should().BeTrue("punctuation is removed from both sides, so the comma does not matter");
        Score("jericho", ["open mailbox"], S("Open mailbox")).Progress.Should().Be(0, "matching stays case-sensitive");
    }

    [Fact]
    public void Jericho_succeeds_only_at_exactly_one_and_a_death_ends_the_game()
    {
        var win = Score("jericho", ["a", "b", "c"], S("a"), S("b"), S("c"), S("after"));
        win.Success.Should().BeTrue();
        win.StepsTaken.Should().Be(3);

        var death = Score("jericho", ["a", "b", "c"], S("a"), S("b"), S("You have died", done: true), S("after"));
        death.Success.Should().BeFalse();
        death.Progress.Should().BeApproximately(2.0 / 3, 1e-12);
        death.StepsTaken.Should().Be(3);
    }

    [Fact]
    public void Pddl_progress_never_falls_when_a_fact_becomes_false_again()
    {
        var score = Score("pddl", ["(on a b)", "(on b c)"],
            S("ok", facts: ["(on a b)"]),
            S("ok", facts: ["(clear a)"]),
            S("bad action", valid: false, facts: ["(on a b)", "(on b c)"]),
            S("ok", facts: ["(on  a   b)", "(on b c)"]),
            S("ignored"));

        Changes(score).Should().Equal((0, 0.5), (3, 1.0));
        score.Success.Should().BeTrue();
        score.StepsTaken.Should().Be(4);
        score.Grounding.Should().Be(0.75);
    }

    [Fact]
    public void The_long_range_curve_holds_the_progress_reached_by_each_step()
    {
        var score = Score("scienceworld", ["a", "b"], S("a"), S("x"), S("b"));
        score.ProgressByStep.Take(4).Should().Equal(0.5, 0.5, 1.0, 1.0);
        score.ProgressByStep.Should().HaveCount(30);
        score.ProgressByStep[29].Should().Be(1.0);
    }

    [Fact]
    public void An_unknown_task_is_reported_and_not_scored()
    {
        var score = Score("webshop", ["x"], S("x"));
        score.IsScored.Should().BeFalse();
        score.Diagnostics.Single().Should().Be("no scoring rule for task 'webshop' (known: alfworld, babyai, jericho, pddl, scienceworld); the episode is left out of every mean");
    }

    [Fact]
    public void An_episode_without_steps_scores_zero()
    {
        var score = Score("alfworld", ["a"]);
        score.Progress.Should().Be(0);
        score.Grounding.Should().Be(0);
        score.Success.Should().BeFalse();
    }

    [Fact]
    public void A_host_task_keeps_typed_state_between_steps()
    {
        var scorer = new AgentBoardScorer([new SeenSubgoalsScorer()]);

        var score = scorer.Score(new Episode("m", "webshop", 3, null, "buy", ["Cart", "Paid"],
        [
            S("the basket is empty"),
            S("Added to CART"),
            S("nothing", valid: false),
            S("PAID, thanks"),
            S("ignored after success"),
        ]));

        Changes(score).Should().Equal((1, 0.5), (3, 1.0));
        (score.Success, score.StepsTaken, score.Grounding).Should().Be((true, 4, 0.75));
        score.Diagnostics.Should().Equal("seen: Cart, Paid");
        scorer.Scorers["webshop"].Should().BeOfType<SeenSubgoalsScorer>();
    }

    [Fact]
    public void A_host_task_reuses_the_remaining_subgoals_state()
    {
        var score = new FirstMatchScorer().Score(new Episode("m", "custom", 1, null, "g", ["a", "b"], [S("a b"), S("a b")]));

        Changes(score).Should().Equal((0, 0.5), (1, 1.0));
        score.Success.Should().BeTrue();
    }

    /// <summary>Case-insensitive containment; progress is the share of subgoals seen; success at all of them.</summary>
    private sealed class SeenSubgoalsScorer : TaskScorer<SeenSubgoalsScorer.Seen>
    {
        public override string Task => "webshop";

        protected override Seen Begin(Episode episode) => new(episode.Subgoals, []);

        protected override (double Progress, bool Done, bool Success) ApplyStep(Seen state, int index, EpisodeStep episodeStep, double progress)
        {
            foreach (var subgoal in state.Subgoals.Where(s => episodeStep.Observation.Contains(s, StringComparison.OrdinalIgnoreCase)))
            {
                state.Reached.Add(subgoal);
            }

            var success = state.Reached.Count == state.Subgoals.Count;
            return ((double)state.Reached.Count / state.Subgoals.Count, success, success);
        }

        protected override IReadOnlyList<string> Diagnostics(Seen state) => ["seen: " + string.Join(", ", state.Reached.Order(StringComparer.Ordinal))];

        internal sealed record Seen(IReadOnlyList<string> Subgoals, HashSet<string> Reached);
    }

    private sealed class FirstMatchScorer : TaskScorer<RemainingSubgoals>
    {
        public override string Task => "custom";

        protected override RemainingSubgoals Begin(Episode episode) => new(episode.Subgoals, new NormalizedTextSubgoalMatcher());

        protected override (double Progress, bool Done, bool Success) ApplyStep(RemainingSubgoals state, int index, EpisodeStep episodeStep, double progress)
        {
            state.Award(episodeStep, episodeStep.Observation);
            return (state.Rate, state.Points == state.Total, state.Points == state.Total);
        }
    }
}
