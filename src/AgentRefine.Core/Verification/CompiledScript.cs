using AgentRefine.Scripts;

namespace AgentRefine.Verification;

/// <summary>A verified script with every action's verification code compiled once.</summary>
public sealed class CompiledScript
{
    /// <summary>Creates a compiled script.</summary>
    /// <param name="script">The script.</param>
    /// <param name="actions">Its compiled actions, in the script's order.</param>
    public CompiledScript(Script script, IReadOnlyList<CompiledAction> actions)
    {
        ArgumentNullException.ThrowIfNull(script);
        ArgumentNullException.ThrowIfNull(actions);
        Script = script;
        Actions = actions;
    }

    /// <summary>The script.</summary>
    public Script Script { get; }

    /// <summary>The compiled actions, in the script's order.</summary>
    public IReadOnlyList<CompiledAction> Actions { get; }

    /// <summary>
    /// Matches an action string against every action in order and returns the first valid match;
    /// otherwise the most informative failure (a wrong value beats a timeout beats no match).
    /// </summary>
    /// <param name="action">The action string.</param>
    /// <returns>The result; never throws for any input.</returns>
    public ActionMatch Match(string action)
    {
        ArgumentNullException.ThrowIfNull(action);
        ActionMatch? best = null;
        foreach (var compiled in Actions)
        {
            var result = compiled.Match(action);
            if (result.IsMatch)
            {
                return result;
            }

            if (best is null || result.Status < best.Status)
            {
                best = result;
            }
        }

        return best is null || best.Status == ActionMatchStatus.NoMatch
            ? new ActionMatch(ActionMatchStatus.NoMatch, null, [], $"it fully matches none of the {Actions.Count} actions' verification codes")
            : best;
    }
}
