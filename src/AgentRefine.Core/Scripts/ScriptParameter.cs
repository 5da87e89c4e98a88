namespace AgentRefine.Scripts;

/// <summary>One placeholder of an action template and every value it may take.</summary>
/// <param name="Name">The placeholder's name, as written between braces in the template (<c>{path}</c> → <c>path</c>).</param>
/// <param name="Values">Every valid value, in the script's order.</param>
public sealed record ScriptParameter(string Name, IReadOnlyList<string> Values);
