namespace AgentRefine.Tokenization;

/// <summary>The chat templates implemented in code, by name.</summary>
public static class ChatTemplates
{
    /// <summary>Llama-3 Instruct (<c>&lt;|start_header_id|&gt;role&lt;|end_header_id|&gt;\n\ncontent&lt;|eot_id|&gt;</c>).</summary>
    public const string Llama3 = "llama3";

    /// <summary>Mistral-7B-Instruct-v0.3 (<c>&lt;s&gt;[INST] user[/INST] assistant&lt;/s&gt;</c>; a system message goes before the first user message).</summary>
    public const string MistralV03 = "mistral-v0.3";

    /// <summary>The names <see cref="Create"/> accepts.</summary>
    public static IReadOnlyList<string> Names { get; } = [Llama3, MistralV03];

    /// <summary>Binds a template to a tokenizer.</summary>
    /// <param name="name">One of <see cref="Names"/>.</param>
    /// <param name="tokenizer">The model's tokenizer.</param>
    /// <returns>The template.</returns>
    /// <exception cref="ArgumentException">The name is not one of <see cref="Names"/>.</exception>
    /// <exception cref="InvalidDataException">The tokenizer lacks a special token the template writes (the message names it and the tokenizer's file).</exception>
    public static ChatTemplate Create(string name, ModelTokenizer tokenizer)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(tokenizer);
        return name switch
        {
            Llama3 => new Llama3ChatTemplate(tokenizer),
            MistralV03 => new MistralV03ChatTemplate(tokenizer),
            _ => throw new ArgumentException($"Unknown chat template '{name}'; known: {string.Join(", ", Names)}.", nameof(name)),
        };
    }
}
