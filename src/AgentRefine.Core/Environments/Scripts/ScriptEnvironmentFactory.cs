using AgentRefine.Scripts;
using AgentRefine.Verification;
using Microsoft.Extensions.AI;

namespace AgentRefine.Environments;

/// <summary>
/// Makes <see cref="ScriptEnvironment"/>s with what <c>AddAgentRefine</c> registered: the <c>dm</c> role's
/// chat client, <c>AgentRefineOptions.ScriptEnvironment</c>, and the registered verifier when it is a
/// <see cref="RuleBasedVerifier"/> (else one on <c>AgentRefineOptions.Verification</c>), so a host's regex
/// settings judge the actions.
/// </summary>
public sealed class ScriptEnvironmentFactory
{
    private readonly IChatClient _dungeonMaster;
    private readonly RuleBasedVerifier _verifier;
    private readonly ScriptEnvironmentOptions _options;

    /// <summary>Creates the factory.</summary>
    /// <param name="dungeonMaster">The Dungeon Master's model.</param>
    /// <param name="verifier">Compiles the scripts' verification codes.</param>
    /// <param name="options">Settings (copied); defaults when <see langword="null"/>.</param>
    public ScriptEnvironmentFactory(IChatClient dungeonMaster, RuleBasedVerifier verifier, ScriptEnvironmentOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(dungeonMaster);
        ArgumentNullException.ThrowIfNull(verifier);
        _dungeonMaster = dungeonMaster;
        _verifier = verifier;
        _options = options?.Clone() ?? new ScriptEnvironmentOptions();
    }

    /// <summary>Creates an environment over scripts.</summary>
    /// <param name="scripts">The scripts; task <c>i</c> is <c>scripts[i]</c>.</param>
    /// <returns>The environment.</returns>
    public ScriptEnvironment Create(IReadOnlyList<Script> scripts) => new(scripts, _dungeonMaster, _verifier, _options);
}
