using System.ClientModel;
using System.ClientModel.Primitives;
using Microsoft.Extensions.AI;
using OpenAI;

namespace AgentRefine.OpenAI;

/// <summary>
/// Creates AgentRefine's chat clients for OpenAI and OpenAI-compatible servers (vLLM, Ollama,
/// DeepSeek, Azure-compatible endpoints) without dependency injection. Each client is
/// Microsoft.Extensions.AI.OpenAI's <see cref="IChatClient"/> over the official OpenAI SDK, with the
/// SDK's own retries off, wrapped so that transport failures surface as
/// <see cref="AgentRefine.Llm.LlmTransportException"/> (HTTP status, <c>Retry-After</c>, the server's
/// error message, never the API key) for AgentRefine's resilience stage to retry, and so that a
/// JSON-schema response format reaches the server as given (<c>strict: false</c>, not rewritten for
/// OpenAI's strict mode), as vLLM-style guided decoding expects.
/// </summary>
public static class AgentRefineOpenAI
{
    /// <summary>The key sent to a server set with <see cref="AgentRefineOpenAIOptions.Endpoint"/> when no key is configured.</summary>
    internal const string PlaceholderApiKey = "no-key";

    /// <summary>The address used when <see cref="AgentRefineOpenAIOptions.Endpoint"/> is <see langword="null"/>.</summary>
    internal static readonly Uri OpenAIEndpoint = new("https://api.openai.com/v1");

    /// <summary>
    /// Creates the chat client of the default model, or of <paramref name="role"/>'s model
    /// (<see cref="AgentRefineOpenAIOptions.RoleModels"/>, else <see cref="AgentRefineOpenAIOptions.Model"/>).
    /// The API key is resolved now: <see cref="AgentRefineOpenAIOptions.ApiKey"/>, else the environment
    /// variable <see cref="AgentRefineOpenAIOptions.ApiKeyEnvironmentVariable"/>, else a placeholder for a
    /// server other than OpenAI's own. Its <see cref="ChatClientMetadata"/> (provider, endpoint and
    /// model) is available through <see cref="IChatClient.GetService"/>.
    /// </summary>
    /// <param name="options">The settings; read once, now.</param>
    /// <param name="role">The AgentRefine role (<c>AgentRefineChatRoles.*</c>) whose model to use; the default model when <see langword="null"/>.</param>
    /// <returns>The client. The caller disposes it.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">No model is set for the client, or <see cref="AgentRefineOpenAIOptions.Endpoint"/> is not an absolute http or https address.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="AgentRefineOpenAIOptions.NetworkTimeout"/> is not positive.</exception>
    /// <exception cref="InvalidOperationException">OpenAI's own endpoint is used and no API key is set or found in the environment variable.</exception>
    public static IChatClient CreateChatClient(AgentRefineOpenAIOptions options, string? role = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var model = ModelOf(options, role);
        Validate(options);
        var configuredKey = !string.IsNullOrWhiteSpace(options.ApiKey)
            ? options.ApiKey
            : Environment.GetEnvironmentVariable(options.ApiKeyEnvironmentVariable);
        if (string.IsNullOrWhiteSpace(configuredKey))
        {
            configuredKey = null;
            if (options.Endpoint is null)
            {
                throw new InvalidOperationException(
                    $"No API key for OpenAI ({OpenAIEndpoint.Host}): set the {options.ApiKeyEnvironmentVariable} environment variable or the ApiKey option. Only a server set with the Endpoint option (vLLM, Ollama, ...) may run without a key.");
            }
        }

        var clientOptions = new OpenAIClientOptions
        {
            // AgentRefine's resilience stage retries (honouring Retry-After); the SDK never does, so
            // retries are never stacked and every attempt is counted and rate-limited once.
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            NetworkTimeout = options.NetworkTimeout,
            OrganizationId = options.OrganizationId,
            UserAgentApplicationId = "AgentRefine",
        };
        if (options.Endpoint is not null)
        {
            clientOptions.Endpoint = options.Endpoint;
        }

        var client = new OpenAIClient(new ApiKeyCredential(configuredKey ?? PlaceholderApiKey), clientOptions)
            .GetChatClient(model)
            .AsIChatClient();
        return new OpenAITransportChatClient(new OpenAIJsonSchemaChatClient(client), options.Endpoint ?? OpenAIEndpoint, configuredKey, options.NetworkTimeout);
    }

    /// <summary>The model of <paramref name="role"/> (its <see cref="AgentRefineOpenAIOptions.RoleModels"/> entry, else the default model).</summary>
    internal static string ModelOf(AgentRefineOpenAIOptions options, string? role)
    {
        if (role is not null && options.RoleModels.TryGetValue(role, out var roleModel))
        {
            return string.IsNullOrWhiteSpace(roleModel)
                ? throw new ArgumentException($"The model of the '{role}' role is empty: set RoleModels[\"{role}\"] to a model name.", nameof(options))
                : roleModel;
        }

        return string.IsNullOrWhiteSpace(options.Model)
            ? throw new ArgumentException("No model: set the Model option (for example \"gpt-4o\" or the name your server serves).", nameof(options))
            : options.Model;
    }

    /// <summary>Checks the settings every client of these options shares.</summary>
    internal static void Validate(AgentRefineOpenAIOptions options)
    {
        if (options.Endpoint is { } endpoint && !(endpoint.IsAbsoluteUri && endpoint.Scheme is "http" or "https"))
        {
            throw new ArgumentException($"The Endpoint option must be an absolute http or https address, found '{endpoint}'.", nameof(options));
        }

        if (options.NetworkTimeout <= TimeSpan.Zero && options.NetworkTimeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.NetworkTimeout, "The NetworkTimeout option must be positive (or Timeout.InfiniteTimeSpan).");
        }

        if (string.IsNullOrWhiteSpace(options.ApiKeyEnvironmentVariable) && options.ApiKey is null)
        {
            throw new ArgumentException("The ApiKeyEnvironmentVariable option is empty: name the environment variable that holds the API key, or set ApiKey.", nameof(options));
        }
    }
}
