using System.Text.Json;
using System.Text.Json.Nodes;
using AgentRefine.Scripts;
using AgentRefine.Trajectories;
using AgentRefine.Verification;

namespace AgentRefine.Core.Tests.Verification;

public class TrajectoryVerificationTests
{
    private readonly RuleBasedVerifier _verifier = new();
    private readonly Script _script = Script.Parse(SampleFiles.Script);

    private VerificationResult Verify(string trajectoryText) => _verifier.VerifyTrajectory(_script, TrajectoryReader.Read(trajectoryText));

    private static JsonArray SampleTurns() => JsonNode.Parse(SampleFiles.Trajectory)!.AsArray();

    [Fact]
    public void The_sample_trajectory_is_accepted_with_three_error_refine_turns()
    {
        var result = Verify(SampleFiles.Trajectory);
        result.Outcome.Should().Be(VerificationOutcome.Accepted);
        result.KeptTurns.Should().Be(23);
        result.ErrorRefineTurns.Should().Be(3);
        result.Issues.Should().BeEmpty();
        result.VerifiedTurns.ToJson().Should().Be(Trajectory.Parse(SampleFiles.Trajectory).ToJson());
    }

    [Theory]
    [InlineData("trajectory-fenced.md")]
    [InlineData("trajectory-turns-object.json")]
    public void Wrapped_shapes_are_accepted(string variant)
    {
        Verify(SampleFiles.Variant(variant)).Outcome.Should().Be(VerificationOutcome.Accepted);
    }

    [Fact]
    public void Json_format_keeps_the_turns_before_the_break()
    {
        var result = Verify(SampleFiles.Variant("trajectory-truncated.json"));
        result.Outcome.Should().Be(VerificationOutcome.Continue);
        result.KeptTurns.Should().Be(9);
        result.ErrorRefineTurns.Should().Be(2);
        var issue = result.Issues.Should().ContainSingle().Subject;
        issue.Code.Should().Be("json-format");
        issue.Turn.Should().Be(9);
        issue.Message.Should().StartWith("The JSON breaks at turn 9: invalid JSON at line 11").And.EndWith("reached end of data.").And.NotContain("..");
        result.Feedback.Should().EndWith("The first 9 turn(s) (through turn number 8) are kept. Continue from there: return only the new turns, starting with turn number 9 (Player), and end with a DM turn that sets task_completed to true.");
    }

    [Fact]
    public void An_earlier_bad_turn_decides_before_a_later_break()
    {
        var text = SampleFiles.Variant("trajectory-truncated.json").Replace("\"turn\": 3,", "\"turn\": \"3\",", StringComparison.Ordinal);
        var result = Verify(text);
        result.Issues.Single().Should().Be(new VerificationIssue("turn-keys", 3, "Turn 3: 'turn' must be an integer, found \"3\"."));
        result.KeptTurns.Should().Be(3);
    }

    [Fact]
    public void Turn_keys()
    {
        var result = Verify(SampleFiles.Variant("trajectory-turn-keys.json"));
        result.Outcome.Should().Be(VerificationOutcome.Continue);
        result.KeptTurns.Should().Be(5);
        result.Issues.Should().Equal(new VerificationIssue("turn-keys", 5, "Turn 5: unexpected key 'action' (keys are case-sensitive: 'Action'); missing key 'Action'."));
    }

    [Fact]
    public void Turn_keys_rejects_an_unknown_role()
    {
        var turns = SampleTurns();
        turns[2]!["role"] = "Narrator";
        Verify(turns.ToJsonString()).Issues.Single().Should().Be(new VerificationIssue("turn-keys", 2, "Turn 2: 'role' must be \"DM\" or \"Player\", found \"Narrator\"."));
    }

    [Fact]
    public void Turn_order_on_a_skipped_number()
    {
        var result = Verify(SampleFiles.Variant("trajectory-turn-order.json"));
        result.KeptTurns.Should().Be(7);
        result.Issues.Should().Equal(new VerificationIssue("turn-order", 7, "Turn 7 is numbered 8; expected 7 (numbers run on by one from 0)."));
    }

    [Fact]
    public void Turn_order_must_start_with_dm_and_alternate()
    {
        var turns = SampleTurns();
        turns.RemoveAt(0);
        var first = Verify(turns.ToJsonString());
        first.KeptTurns.Should().Be(0);
        first.Issues.Single().Should().Be(new VerificationIssue("turn-order", 0, "Turn 0 is a Player turn; the trajectory must start with a DM turn that gives the initial observation."));
        first.Feedback.Should().EndWith("No turn could be kept. Write the trajectory from its first turn: a DM turn that gives the initial observation.");

        var twice = SampleTurns();
        twice.RemoveAt(4);
        Verify(twice.ToJsonString()).Issues.Single().Should().Be(new VerificationIssue("turn-order", 4, "Turn 4 is a Player turn after a Player turn; DM and Player turns must alternate."));
    }

    [Fact]
    public void Turn_numbers_may_start_anywhere_but_run_on_by_one()
    {
        var turns = SampleTurns();
        foreach (var turn in turns)
        {
            turn!["turn"] = turn["turn"]!.GetValue<int>() + 1;
        }

        Verify(turns.ToJsonString()).Outcome.Should().Be(VerificationOutcome.Accepted);
    }

    [Fact]
    public void Action_unmatched_keeps_the_turns_before_the_player_turn()
    {
        var result = Verify(SampleFiles.Variant("trajectory-action-unmatched.json"));
        result.Outcome.Should().Be(VerificationOutcome.Continue);
        result.KeptTurns.Should().Be(13);
        result.ErrorRefineTurns.Should().Be(2);
        result.Issues.Should().Equal(new VerificationIssue("action-unmatched", 13,
            "Turn 13: the Player's action \"walk to archive room\" is not a valid action (it fully matches none of the 5 actions' verification codes), yet the DM turn after it does not set parameter_error. Available actions: \"go to {place}\", \"take {item} from {place}\", \"put on {item}\", \"scan {item} as {filename}\", \"look\"."));
        result.Feedback.Should().Contain("starting with turn number 13 (Player)");
    }

    [Fact]
    public void An_invalid_parameter_value_is_unmatched_unless_the_dm_flags_it()
    {
        var turns = SampleTurns();
        turns[18]!["parameter_error"] = false;
        var result = Verify(turns.ToJsonString());
        result.Issues.Single().Code.Should().Be("action-unmatched");
        result.Issues.Single().Turn.Should().Be(17);
        result.Issues.Single().Message.Should().Contain("(\"scanner room\" is not a valid value of {place} in \"go to {place}\")");

        // In the sample the DM does flag it: that is the paper's error-refine turn.
        Verify(SampleFiles.Trajectory).IsAccepted.Should().BeTrue();
    }

    [Fact]
    public void Captured_values_are_trimmed_and_actions_trimmed()
    {
        var turns = SampleTurns();
        turns[3]!["Action"] = "   go to    archive room  ";
        Verify(turns.ToJsonString()).IsAccepted.Should().BeTrue();
    }

    [Fact]
    public void A_timed_out_match_counts_as_no_match()
    {
        var script = new Script("g", ["c"], [new ScriptAction("say {w}", "^say ((?:a|aa)+)$", [new("w", ["aaaa"])])]);
        var turns = new Turn[]
        {
            new DmTurn(0, "t", "o"),
            new PlayerTurn(1, "t", "say " + new string('a', 40) + "!"),
            new DmTurn(2, "t", "o"),
        };
        var result = _verifier.VerifyTrajectory(script, TrajectoryReadResult.FromTurns(turns));
        result.Issues.Single().Code.Should().Be("action-unmatched");
        result.Issues.Single().Message.Should().Contain("(matching \"say {w}\" timed out after 100 ms)");
    }

    [Fact]
    public void An_unanswered_player_action_at_the_end_is_not_judged_yet()
    {
        var turns = Trajectory.Parse(SampleFiles.Variant("trajectory-action-unmatched.json")).Take(14).ToArray();
        var result = _verifier.VerifyTrajectory(_script, TrajectoryReadResult.FromTurns(turns));
        result.Issues.Single().Should().Be(new VerificationIssue("not-completed", null, "The trajectory ends with a Player turn; it must end with a DM turn that sets task_completed to true."));
        result.KeptTurns.Should().Be(14);
    }

    [Fact]
    public void Not_completed_keeps_all_turns()
    {
        var result = Verify(SampleFiles.Variant("trajectory-not-completed.json"));
        result.Outcome.Should().Be(VerificationOutcome.Continue);
        result.KeptTurns.Should().Be(21);
        result.Issues.Should().Equal(new VerificationIssue("not-completed", null, "The last DM turn does not set task_completed to true; the trajectory must go on until the goal is reached."));
        result.Feedback.Should().Contain("starting with turn number 21 (Player)");
    }

    [Fact]
    public void An_empty_trajectory_is_not_completed()
    {
        var result = Verify("[]");
        result.Outcome.Should().Be(VerificationOutcome.Continue);
        result.Issues.Single().Should().Be(new VerificationIssue("not-completed", null, "The trajectory has no turns."));
    }

    [Fact]
    public void Too_few_refinements_regenerates_from_scratch()
    {
        var result = Verify(SampleFiles.Variant("trajectory-one-refinement.json"));
        result.Outcome.Should().Be(VerificationOutcome.Regenerate);
        result.KeptTurns.Should().Be(0);
        result.ErrorRefineTurns.Should().Be(1);
        result.Issues.Should().Equal(new VerificationIssue("too-few-refinements", null,
            "The trajectory has 1 error-refine turn(s); at least 2 are required (a DM turn that flags a parameter, place or logic error, later followed by a DM turn without one)."));
        result.Feedback.Should().EndWith("Write a new trajectory from scratch in which the Player makes at least 2 mistakes (parameter, place or logic errors) that the DM flags and the Player then corrects before the task is completed.");
    }

    [Fact]
    public void Min_error_refine_turns_is_an_option()
    {
        new RuleBasedVerifier(new VerifierOptions { MinErrorRefineTurns = 4 }).VerifyTrajectory(_script, TrajectoryReader.Read(SampleFiles.Trajectory))
            .Outcome.Should().Be(VerificationOutcome.Regenerate);
        new RuleBasedVerifier(new VerifierOptions { MinErrorRefineTurns = 1 }).VerifyTrajectory(_script, TrajectoryReader.Read(SampleFiles.Variant("trajectory-one-refinement.json")))
            .Outcome.Should().Be(VerificationOutcome.Accepted);
    }

    [Fact]
    public void An_error_flag_on_the_last_dm_turn_is_not_refined()
    {
        // Errors count only when a later DM turn without an error follows.
        var turns = new Turn[]
        {
            new DmTurn(0, "t", "o"),
            new PlayerTurn(1, "t", "look"),
            new DmTurn(2, "t", "o", LogicError: true),
            new PlayerTurn(3, "t", "look"),
            new DmTurn(4, "t", "o", PlaceError: true),
            new PlayerTurn(5, "t", "look"),
            new DmTurn(6, "t", "o", ParameterError: true, TaskCompleted: true),
        };
        var result = _verifier.VerifyTrajectory(_script, TrajectoryReadResult.FromTurns(turns));
        result.Outcome.Should().Be(VerificationOutcome.Regenerate);
        result.ErrorRefineTurns.Should().Be(0);
    }

    [Fact]
    public void An_error_flag_on_the_opening_dm_turn_answers_no_action_and_does_not_count()
    {
        var turns = Trajectory.Parse(SampleFiles.Variant("trajectory-one-refinement.json")).ToList();
        turns[0] = ((DmTurn)turns[0]) with { LogicError = true };
        var result = _verifier.VerifyTrajectory(_script, TrajectoryReadResult.FromTurns(turns));
        result.Outcome.Should().Be(VerificationOutcome.Regenerate);
        result.ErrorRefineTurns.Should().Be(1);
    }

    [Fact]
    public void Regenerate_script_when_the_script_fails()
    {
        var broken = new Script(null, ["c"], _script.AvailableActions, _script.Environment);
        var result = _verifier.VerifyTrajectory(broken, TrajectoryReader.Read(SampleFiles.Trajectory));
        result.Outcome.Should().Be(VerificationOutcome.RegenerateScript);
        result.OutcomeName.Should().Be("regenerate-script");
        result.Issues.Single().Code.Should().Be("script-missing-key");
    }

    [Fact]
    public void Continuation_is_verified_as_a_whole()
    {
        var first = Verify(SampleFiles.Variant("trajectory-truncated.json"));
        var rest = SampleTurns().Skip(9).Select(n => n!.ToJsonString());
        var continuation = TrajectoryReader.Read("[" + string.Join(",", rest) + "]");
        var whole = _verifier.VerifyTrajectory(_script, continuation.After(first.VerifiedTurns));
        whole.Outcome.Should().Be(VerificationOutcome.Accepted);
        whole.KeptTurns.Should().Be(23);
    }

    [Fact]
    public void Cancellation_is_honoured()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        var act = () => _verifier.VerifyTrajectory(_script, TrajectoryReader.Read(SampleFiles.Trajectory), cancelled.Token);
        act.Should().Throw<OperationCanceledException>();
    }

    [Fact]
    public void The_outcome_names_follow_the_cli_contract()
    {
        Verify(SampleFiles.Trajectory).OutcomeName.Should().Be("accepted");
        Verify("[]").OutcomeName.Should().Be("continue");
        Verify(SampleFiles.Variant("trajectory-one-refinement.json")).OutcomeName.Should().Be("regenerate");
    }

    [Fact]
    public void Every_issue_code_is_listed_in_check_order()
    {
        VerificationIssueCodes.All.Should().Equal(
            "script-json", "script-missing-key", "regex-invalid", "placeholder-mismatch", "regex-timeout", "action-self-check",
            "json-format", "turn-keys", "turn-order", "action-unmatched", "not-completed", "too-few-refinements");
    }

    [Fact]
    public void Element_kinds_other_than_objects_are_turn_key_issues()
    {
        var result = Verify("[" + JsonSerializer.Serialize(new DmTurn(0, "t", "o")) + ", 42]");
        result.Issues.Single().Should().Be(new VerificationIssue("turn-keys", 1, "Turn 1: the turn is a number, not an object."));
    }
}
