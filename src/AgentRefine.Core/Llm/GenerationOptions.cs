namespace AgentRefine.Llm;

/// <summary>Sampling settings of one LLM stage (script writing or trajectory simulation).</summary>
public sealed class GenerationOptions
{
    /// <summary>The model to ask for; the client's default when <see langword="null"/>.</summary>
    public string? ModelId { get; set; }

    /// <summary>Sampling temperature; the server's default when <see langword="null"/>. Default 1.0, for diverse scripts and games.</summary>
    public float? Temperature { get; set; } = 1.0f;

    /// <summary>The most tokens the model may write. Default 4,096.</summary>
    public int? MaxOutputTokens { get; set; } = 4_096;

    /// <summary>
    /// Sampling seed, for servers that support it; each attempt within a persona adds its attempt
    /// number, so a regeneration is not the same draw. Unset when <see langword="null"/>.
    /// </summary>
    public long? Seed { get; set; }

    /// <summary>How the reply's JSON is requested. Default <see cref="StructuredOutputMode.JsonObject"/>.</summary>
    public StructuredOutputMode StructuredOutput { get; set; } = StructuredOutputMode.JsonObject;

    /// <summary>A copy of these settings.</summary>
    /// <returns>The copy.</returns>
    public GenerationOptions Clone() => (GenerationOptions)MemberwiseClone();
}
