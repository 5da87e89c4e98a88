using AgentRefine.Scripts;
using AgentRefine.Trajectories;
using AgentRefine.Verification;

namespace AgentRefine.Samples.Hosting;

/// <summary>A stricter verifier: a DM observation must not copy the hidden environment's JSON. It takes the configured settings through its constructor.</summary>
internal sealed class NoEnvironmentLeakVerifier(VerifierOptions? options = null) : RuleBasedVerifier(options)
{
    protected override VerificationIssue? CheckTurnContent(Script script, Turn turn, int index, IReadOnlyList<Turn> previous)
    {
        if (turn is DmTurn dm && script.Environment is { } environment && dm.Observation.Contains(environment.GetRawText(), StringComparison.Ordinal))
        {
            return new VerificationIssue("environment-leak", index, $"Turn {index}: the observation reveals the hidden environment.");
        }

        return base.CheckTurnContent(script, turn, index, previous);
    }
}
