namespace AgentRefine.OpenAI;

/// <summary>
/// Settings of <see cref="OpenAICompatibleChatClient"/>. Sampling settings here are defaults: a
/// value set in a request's <c>ChatOptions</c> wins.
/// </summary>
public sealed class OpenAICompatibleChatClientOptions
{
    /// <summary>The default environment variable that holds the API key.</summary>
    public const string DefaultApiKeyEnvironmentVariable = "OPENAI_API_KEY";

    /// <summary>
    /// The server's base address, including its version path (for example <c>http://localhost:8000/v1</c>
    /// for vLLM, <c>http://localhost:11434/v1</c> for Ollama, <c>https://api.deepseek.com/v1</c>);
    /// OpenAI's own endpoint when <see langword="null"/>.
    /// </summary>
    public Uri? Endpoint { get; set; }

    /// <summary>The model to ask for (required), e.g. <c>gpt-4o</c> or <c>meta-llama/Meta-Llama-3-70B-Instruct</c>.</summary>
    public string? Model { get; set; }

    /// <summary>The API key. When <see langword="null"/>, it is read from <see cref="ApiKeyEnvironmentVariable"/>. Never logged or shown.</summary>
    public string? ApiKey { get; set; }

    /// <summary>The environment variable read when <see cref="ApiKey"/> is not set. Default <c>OPENAI_API_KEY</c>.</summary>
    public string ApiKeyEnvironmentVariable { get; set; } = DefaultApiKeyEnvironmentVariable;

    /// <summary>Default sampling temperature.</summary>
    public float? Temperature { get; set; }

    /// <summary>Default sampling seed (servers that support it).</summary>
    public long? Seed { get; set; }

    /// <summary>Default maximum output tokens.</summary>
    public int? MaxOutputTokens { get; set; }

    /// <summary>Default stop sequences.</summary>
    public IList<string> StopSequences { get; } = [];

    /// <summary>How long one HTTP request may take before it fails as a transient timeout. Default 10 minutes.</summary>
    public TimeSpan NetworkTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The OpenAI organization id, if any.</summary>
    public string? OrganizationId { get; set; }
}
