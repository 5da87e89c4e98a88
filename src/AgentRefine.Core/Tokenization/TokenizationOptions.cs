namespace AgentRefine.Tokenization;

/// <summary>
/// Settings of the registered <see cref="ModelTokenizer"/> and <see cref="ChatTemplate"/> (in a host:
/// <c>AgentRefineOptions.Tokenization</c>) and of <see cref="ChatRowTokenization.RunAsync"/>.
/// </summary>
public sealed class TokenizationOptions
{
    /// <summary>The Hugging Face model folder with <c>tokenizer.json</c> or <c>tokenizer.model</c>. Required to resolve the tokenizer.</summary>
    public string? TokenizerDirectory { get; set; }

    /// <summary>The chat template (one of <see cref="ChatTemplates.Names"/>). Default <see cref="ChatTemplates.Llama3"/>.</summary>
    public string Template { get; set; } = ChatTemplates.Llama3;

    /// <summary>Rows with more tokens than this are skipped and counted, never cut. Default <see langword="null"/>: no limit.</summary>
    public int? MaxLength { get; set; }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        if (MaxLength is { } maxLength)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 1, nameof(MaxLength));
        }

        if (!ChatTemplates.Names.Contains(Template, StringComparer.Ordinal))
        {
            throw new ArgumentOutOfRangeException(nameof(Template), Template, $"Unknown chat template; known: {string.Join(", ", ChatTemplates.Names)}.");
        }
    }
}
