using System.Collections.Concurrent;

namespace AgentRefine.Verification;

/// <summary>
/// The default <see cref="IVerifierFactory"/>: one verifier per distinct settings, created on first
/// use and then shared (a verifier's compiled verification codes are reused across the records that
/// share its settings; the first 64 distinct settings are kept, later ones get a new verifier per
/// request). Thread-safe.
/// </summary>
public sealed class VerifierFactory : IVerifierFactory
{
    private const int MaxCached = 64;
    private readonly VerifierOptions _defaults;
    private readonly Func<VerifierOptions, IVerifier> _create;
    private readonly ConcurrentDictionary<(int, TimeSpan, bool, int), IVerifier> _verifiers = new();

    /// <summary>Creates the factory.</summary>
    /// <param name="defaults">The settings for records that name none; the paper's defaults when <see langword="null"/>. Validated and copied.</param>
    /// <param name="create">Makes a verifier for settings (for a host's <see cref="RuleBasedVerifier"/> subclass); <c>new RuleBasedVerifier(options)</c> when <see langword="null"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">A default setting is out of range.</exception>
    public VerifierFactory(VerifierOptions? defaults = null, Func<VerifierOptions, IVerifier>? create = null)
    {
        _defaults = (defaults ?? new VerifierOptions()).Clone();
        _defaults.Validate();
        _create = create ?? (options => new RuleBasedVerifier(options));
    }

    /// <inheritdoc />
    public VerifierOptions Defaults => _defaults.Clone();

    /// <inheritdoc />
    public IVerifier Create(VerifierOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var key = options.Key;
        if (_verifiers.TryGetValue(key, out var verifier))
        {
            return verifier;
        }

        verifier = _create(options.Clone()) ?? throw new InvalidOperationException("The verifier factory's create function returned null.");
        return _verifiers.Count < MaxCached ? _verifiers.GetOrAdd(key, verifier) : verifier;
    }
}
