using AgentRefine.Synthesis;
using AgentRefine.Verification;

namespace AgentRefine.Conversion;

/// <summary>
/// Verifies a record again under the settings it was accepted under: its provenance's verifier
/// settings, or the factory's defaults when it names none, with the caller's override of the minimum
/// error-refine turns applied on top. Shared by <see cref="RefinementTuningConverter"/> and
/// <see cref="RecordStatisticsCalculator"/>.
/// </summary>
internal static class RecordVerification
{
    /// <summary>The settings a record is verified under.</summary>
    public static VerifierOptions SettingsFor(SynthesisRecord record, IVerifierFactory verifiers, int? minErrorRefineTurns)
    {
        var settings = record.Provenance?.Verifier?.Clone() ?? verifiers.Defaults;
        if (minErrorRefineTurns is { } minimum)
        {
            settings.MinErrorRefineTurns = minimum;
        }

        return settings;
    }

    /// <summary>Verifies the record's script and trajectory as read.</summary>
    public static VerificationResult Verify(SynthesisRecord record, IVerifierFactory verifiers, int? minErrorRefineTurns, CancellationToken cancellationToken) =>
        verifiers.Create(SettingsFor(record, verifiers, minErrorRefineTurns)).Verify(record.ScriptRead, record.TrajectoryRead, cancellationToken);
}
