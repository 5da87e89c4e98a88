using AgentRefine.Scripts;
using AgentRefine.Trajectories;
using AgentRefine.Verification;

namespace AgentRefine.Core.Tests.Verification;

public class VerifierSubclassTests
{
    /// <summary>A host's stricter verifier: a DM observation must not reveal the hidden environment.</summary>
    private sealed class NoEnvironmentLeakVerifier : RuleBasedVerifier
    {
        protected override VerificationIssue? CheckTurnContent(Script script, Turn turn, int index, IReadOnlyList<Turn> previous)
        {
            if (turn is DmTurn dm && script.Environment is { } environment)
            {
                foreach (var secret in environment.EnumerateObject().Where(p => p.Value.ValueKind == System.Text.Json.JsonValueKind.Object))
                {
                    if (dm.Observation.Contains(secret.Value.GetRawText(), StringComparison.Ordinal) || dm.Observation.Contains("\"" + secret.Name + "\":", StringComparison.Ordinal))
                    {
                        return new VerificationIssue("environment-leak", index, $"Turn {index}: the observation reveals the hidden environment ('{secret.Name}').");
                    }
                }
            }

            return base.CheckTurnContent(script, turn, index, previous);
        }
    }

    [Fact]
    public void A_host_rule_rejects_an_observation_that_leaks_the_environment()
    {
        var script = Script.Parse(SampleFiles.Script);
        var turns = Trajectory.Parse(SampleFiles.Trajectory).ToList();
        var leaked = (DmTurn)turns[4];
        turns[4] = leaked with { Observation = leaked.Observation + " Debug: " + "{\"player\": " + script.Environment!.Value.GetProperty("player").GetRawText() + "}" };

        var result = new NoEnvironmentLeakVerifier().VerifyTrajectory(script, TrajectoryReadResult.FromTurns(turns));

        result.Outcome.Should().Be(VerificationOutcome.Continue);
        result.KeptTurns.Should().Be(4);
        result.Issues.Should().Equal(new VerificationIssue("environment-leak", 4, "Turn 4: the observation reveals the hidden environment ('player')."));
        new RuleBasedVerifier().VerifyTrajectory(script, TrajectoryReadResult.FromTurns(turns)).IsAccepted.Should().BeTrue("the default rules do not look at content");
        new NoEnvironmentLeakVerifier().VerifyTrajectory(script, TrajectoryReader.Read(SampleFiles.Trajectory)).IsAccepted.Should().BeTrue();
    }

    private sealed class StrictCompletionVerifier : RuleBasedVerifier
    {
        protected override VerificationIssue? CheckCompletion(IReadOnlyList<Turn> turns) =>
            base.CheckCompletion(turns) ?? (turns.Count < 25 ? new VerificationIssue("too-short", null, "Play at least 25 turns.") : null);
    }

    [Fact]
    public void A_built_in_rule_can_be_tightened()
    {
        var result = new StrictCompletionVerifier().VerifyTrajectory(Script.Parse(SampleFiles.Script), TrajectoryReader.Read(SampleFiles.Trajectory));
        result.Outcome.Should().Be(VerificationOutcome.Continue);
        result.KeptTurns.Should().Be(23);
        result.Issues.Single().Code.Should().Be("too-short");
    }
}
