using AgentRefine.Scripts;
using AgentRefine.Trajectories;
using AgentRefine.Verification;
using Microsoft.Extensions.Logging;

namespace AgentRefine.Samples.Hosting;

/// <summary>
/// A stricter verifier: a DM observation must not copy the hidden environment's JSON. Its constructor
/// takes the configured <see cref="VerifierOptions"/> (from appsettings, through <c>AddAgentRefine</c>),
/// so the minimum error-refine turns and the regex timeout still apply.
/// </summary>
internal sealed class NoEnvironmentLeakVerifier(VerifierOptions options, ILogger<RuleBasedVerifier> logger) : RuleBasedVerifier(options, logger)
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
