using AgentRefine.Scripts;
using AgentRefine.Trajectories;

namespace AgentRefine.Verification;

/// <summary>
/// Checks scripts and trajectories (the paper's Algorithm 1) and says what the synthesis loop does
/// next. Implementations never throw for bad model output: every problem becomes an issue in the verdict.
/// </summary>
public interface IVerifier
{
    /// <summary>Checks a script (see <see cref="VerificationIssueCodes"/> for the checks, in order).</summary>
    /// <param name="script">The script as read, or the reason it could not be read.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns><see cref="VerificationOutcome.Accepted"/> or <see cref="VerificationOutcome.RegenerateScript"/>, with every script issue found, ordered by check.</returns>
    VerificationResult VerifyScript(ScriptReadResult script, CancellationToken cancellationToken = default);

    /// <summary>
    /// Checks a trajectory against its script. The script is checked first (its result is cached per
    /// <see cref="Script"/> instance): if it fails, the outcome is <see cref="VerificationOutcome.RegenerateScript"/>.
    /// </summary>
    /// <param name="script">The script the trajectory plays.</param>
    /// <param name="trajectory">The turns as read, with the point where the JSON broke, if it did.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns>The verdict; the deciding issue first.</returns>
    VerificationResult VerifyTrajectory(Script script, TrajectoryReadResult trajectory, CancellationToken cancellationToken = default);

    /// <summary>
    /// The settings this verifier applies, in <see cref="VerifierOptions"/> terms. The synthesis loop
    /// writes them into each record's provenance, so that conversion verifies the record again under
    /// the same settings. The default implementation returns <see langword="null"/>: a verifier that
    /// has no such settings, whose records are verified again under the defaults.
    /// </summary>
    VerifierOptions? Settings => null;
}
