using AgentRefine.Json;
using AgentRefine.Scripts;
using AgentRefine.Trajectories;

namespace AgentRefine.Verification;

/// <summary>Conveniences over <see cref="IVerifier"/> for typed scripts and raw text.</summary>
public static class VerifierExtensions
{
    /// <summary>Checks a typed script.</summary>
    /// <param name="verifier">The verifier.</param>
    /// <param name="script">The script.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns>The verdict.</returns>
    public static VerificationResult VerifyScript(this IVerifier verifier, Script script, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(verifier);
        return verifier.VerifyScript(ScriptReadResult.FromScript(script), cancellationToken);
    }

    /// <summary>
    /// Reads a script and, optionally, a trajectory from text (model output or file contents) and
    /// verifies them: the script first; if it fails, the outcome is
    /// <see cref="VerificationOutcome.RegenerateScript"/> whatever the trajectory.
    /// </summary>
    /// <param name="verifier">The verifier.</param>
    /// <param name="scriptText">The script's text.</param>
    /// <param name="trajectoryText">The trajectory's text; <see langword="null"/> to check the script only.</param>
    /// <param name="limits">Size limits; <see cref="JsonReadLimits.Default"/> when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns>The verdict.</returns>
    public static VerificationResult Verify(this IVerifier verifier, string scriptText, string? trajectoryText = null, JsonReadLimits? limits = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(verifier);
        ArgumentNullException.ThrowIfNull(scriptText);
        var trajectory = trajectoryText is null ? null : TrajectoryReader.Read(trajectoryText, limits);
        return verifier.Verify(ScriptReader.Read(scriptText, limits), trajectory, cancellationToken);
    }

    /// <summary>
    /// Verifies a script as read and, optionally, a trajectory as read: the script first; if it fails,
    /// the outcome is <see cref="VerificationOutcome.RegenerateScript"/> whatever the trajectory.
    /// </summary>
    /// <param name="verifier">The verifier.</param>
    /// <param name="script">The script as read.</param>
    /// <param name="trajectory">The trajectory as read; <see langword="null"/> to check the script only.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns>The verdict.</returns>
    public static VerificationResult Verify(this IVerifier verifier, ScriptReadResult script, TrajectoryReadResult? trajectory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(verifier);
        ArgumentNullException.ThrowIfNull(script);
        var scriptResult = verifier.VerifyScript(script, cancellationToken);
        return !scriptResult.IsAccepted || trajectory is null
            ? scriptResult
            : verifier.VerifyTrajectory(script.Script!, trajectory, cancellationToken);
    }
}
