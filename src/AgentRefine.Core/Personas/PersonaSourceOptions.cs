namespace AgentRefine.Personas;

/// <summary>Settings of <see cref="PersonaFileSource"/>.</summary>
public sealed class PersonaSourceOptions
{
    /// <summary>The persona file: Persona Hub JSON Lines (<c>{"persona": "..."}</c> a line) or plain text, one persona a line.</summary>
    public string? Path { get; set; }

    /// <summary>How many personas to take; all when <see langword="null"/>.</summary>
    public int? Limit { get; set; }

    /// <summary>
    /// Sampling seed. When set, personas are drawn uniformly at random (reproducibly for a given seed
    /// and file): <see cref="Limit"/> of them, or all of them shuffled. When <see langword="null"/>,
    /// the file order is kept and the first <see cref="Limit"/> are taken.
    /// </summary>
    public int? Seed { get; set; }

    /// <summary>The longest persona accepted, in characters; a longer line is an error naming <c>file:line</c>. Default 4,000.</summary>
    public int MaxPersonaLength { get; set; } = 4_000;
}
