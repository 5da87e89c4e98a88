namespace AgentRefine.OpenAI;

/// <summary>
/// Settings of the OpenAI-compatible chat clients that <see cref="AgentRefineOpenAI.CreateChatClient"/>
/// and <c>services.AddAgentRefineOpenAI(...)</c> create: where the server is, which model each
/// AgentRefine role asks for, and where the API key comes from. Sampling settings (temperature, seed,
/// maximum output tokens) are not here: they travel with each request's <c>ChatOptions</c>
/// (AgentRefine's <c>GenerationOptions</c> sets them per role).
/// </summary>
public sealed class AgentRefineOpenAIOptions
{
    /// <summary>The default environment variable that holds the API key.</summary>
    public const string DefaultApiKeyEnvironmentVariable = "OPENAI_API_KEY";

    /// <summary>
    /// Gets or sets the server's base address, including its version path (for example
    /// <c>http://localhost:8000/v1</c> for vLLM, <c>http://localhost:11434/v1</c> for Ollama,
    /// <c>https://api.deepseek.com/v1</c>).
    /// </summary>
    /// <value>OpenAI's own endpoint (<c>https://api.openai.com/v1</c>) when <see langword="null"/>, the default.</value>
    public Uri? Endpoint { get; set; }

    /// <summary>
    /// Gets or sets the model of the default client, e.g. <c>gpt-4o</c> or
    /// <c>meta-llama/Meta-Llama-3-70B-Instruct</c>; required. A role without an entry in
    /// <see cref="RoleModels"/> uses it.
    /// </summary>
    /// <value><see langword="null"/> until set.</value>
    public string? Model { get; set; }

    /// <summary>
    /// Gets the model of each AgentRefine role that should use its own, keyed by the role name
    /// (<c>AgentRefineChatRoles.Script</c>, <c>AgentRefineChatRoles.Trajectory</c>). Each entry becomes a
    /// keyed <c>IChatClient</c> for that role, on the same server, key and timeout.
    /// </summary>
    /// <value>Empty: every role uses <see cref="Model"/>.</value>
    public IDictionary<string, string> RoleModels { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>
    /// Gets or sets the API key. It is never logged, and it is removed from every error message the
    /// clients produce.
    /// </summary>
    /// <value><see langword="null"/> (the default): the key is read from <see cref="ApiKeyEnvironmentVariable"/>
    /// when the client is created. When neither holds a key, a server set with <see cref="Endpoint"/>
    /// gets a placeholder (local servers such as vLLM and Ollama take none); OpenAI's own endpoint fails.</value>
    public string? ApiKey { get; set; }

    /// <summary>Gets or sets the environment variable read when <see cref="ApiKey"/> is not set.</summary>
    /// <value>Default <c>OPENAI_API_KEY</c>.</value>
    public string ApiKeyEnvironmentVariable { get; set; } = DefaultApiKeyEnvironmentVariable;

    /// <summary>
    /// Gets or sets how long one HTTP request may take before it fails as a transient timeout
    /// (an <c>LlmTransportException</c> without status, which AgentRefine's resilience stage retries).
    /// </summary>
    /// <value>Default 10 minutes.</value>
    public TimeSpan NetworkTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Gets or sets the OpenAI organization id, sent as the <c>OpenAI-Organization</c> header.</summary>
    /// <value><see langword="null"/> (the default): none is sent.</value>
    public string? OrganizationId { get; set; }
}
