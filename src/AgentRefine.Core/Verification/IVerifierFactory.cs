namespace AgentRefine.Verification;

/// <summary>
/// Makes verifiers for given settings, so that each record can be verified again under the settings
/// it was accepted under (its provenance), or under <see cref="Defaults"/> when it names none.
/// The default implementation is <see cref="VerifierFactory"/>.
/// </summary>
public interface IVerifierFactory
{
    /// <summary>The settings for records whose provenance names none (a copy; changing it has no effect).</summary>
    VerifierOptions Defaults { get; }

    /// <summary>Returns a verifier that applies <paramref name="options"/>; equal settings may share one instance.</summary>
    /// <param name="options">The settings (validated; not kept, so later changes to them have no effect).</param>
    /// <returns>The verifier.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    IVerifier Create(VerifierOptions options);
}
