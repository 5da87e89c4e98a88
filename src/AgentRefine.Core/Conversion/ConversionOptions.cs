namespace AgentRefine.Conversion;

/// <summary>Settings of <see cref="RefinementTuningConverter"/>.</summary>
public sealed class ConversionOptions
{
    /// <summary>How mistaken turns are treated. Default <see cref="ConversionMode.MaskErroneous"/> (the paper).</summary>
    public ConversionMode Mode { get; set; } = ConversionMode.MaskErroneous;

    /// <summary>The first user message's template (see <see cref="FirstMessageTemplate"/>); the default template when <see langword="null"/>.</summary>
    public string? PromptTemplate { get; set; }

    /// <summary>A system message to put first; none when <see langword="null"/>.</summary>
    public string? SystemPrompt { get; set; }

    /// <summary>Stop at the first record that cannot be converted instead of skipping and counting it. Default <see langword="false"/>.</summary>
    public bool StopOnFirstSkip { get; set; }
}
