namespace AgentRefine.Scripts;

/// <summary>
/// One entry of a script's <c>Available Actions</c>: the template (the entry's key), the regular
/// expression an action string must fully match (<c>verification code</c>), the valid values of each
/// placeholder (<c>parameters</c>) and an optional description.
/// </summary>
public sealed class ScriptAction
{
    /// <summary>Creates an action.</summary>
    /// <param name="template">The action template, e.g. <c>cd {path}</c>.</param>
    /// <param name="verificationCode">The regular expression; <see langword="null"/> when the script did not give one as a string.</param>
    /// <param name="parameters">The placeholders and their values, in the script's order.</param>
    /// <param name="description">The optional description.</param>
    public ScriptAction(string template, string? verificationCode, IReadOnlyList<ScriptParameter>? parameters = null, string? description = null)
    {
        ArgumentNullException.ThrowIfNull(template);
        Template = template;
        VerificationCode = verificationCode;
        Parameters = parameters ?? [];
        Description = description;
    }

    /// <summary>The action template (the key in <c>Available Actions</c>), e.g. <c>cd {path}</c>.</summary>
    public string Template { get; }

    /// <summary>The regular expression an action must fully match; its capture groups give the placeholders' values.</summary>
    public string? VerificationCode { get; }

    /// <summary>The placeholders and their valid values, in the script's order.</summary>
    public IReadOnlyList<ScriptParameter> Parameters { get; }

    /// <summary>The optional human description of the action.</summary>
    public string? Description { get; }

    /// <summary>Returns the parameter named <paramref name="name"/> (ordinal), or <see langword="null"/>.</summary>
    /// <param name="name">The placeholder name.</param>
    /// <returns>The parameter, or <see langword="null"/> when the script lists none of that name.</returns>
    public ScriptParameter? FindParameter(string name)
    {
        foreach (var parameter in Parameters)
        {
            if (string.Equals(parameter.Name, name, StringComparison.Ordinal))
            {
                return parameter;
            }
        }

        return null;
    }
}
