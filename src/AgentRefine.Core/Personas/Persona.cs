namespace AgentRefine.Personas;

/// <summary>One persona: the text a script is written for, and where it came from.</summary>
/// <param name="Text">The persona, e.g. "A recent graduate joining the IT department and eager to learn UNIX administration".</param>
/// <param name="Source">Where it was read, as <c>file:line</c> (or a host's own label).</param>
public sealed record Persona(string Text, string Source);
