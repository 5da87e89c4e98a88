namespace AgentRefine.Verification;

/// <summary>A factory that answers every request with one verifier, whatever the settings asked for.</summary>
internal sealed class SingleVerifierFactory(IVerifier verifier) : IVerifierFactory
{
    public VerifierOptions Defaults => verifier.Settings?.Clone() ?? new VerifierOptions();

    public IVerifier Create(VerifierOptions options) => verifier;
}
