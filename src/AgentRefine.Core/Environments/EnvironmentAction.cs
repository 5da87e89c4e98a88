namespace AgentRefine.Environments;

/// <summary>An action the environment offers, as shown to the agent.</summary>
/// <param name="Template">The action's format, e.g. <c>go to &lt;obj&gt; &lt;id&gt;</c> or <c>take {item}</c>.</param>
/// <param name="Description">What it does, or <see langword="null"/>.</param>
public sealed record EnvironmentAction(string Template, string? Description = null);
