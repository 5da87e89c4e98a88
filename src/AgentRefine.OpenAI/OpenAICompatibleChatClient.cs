using System.ClientModel;
using System.ClientModel.Primitives;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.RegularExpressions;
using AgentRefine.Llm;
using Microsoft.Extensions.AI;
using OpenAI;
using OpenAI.Chat;
using AIChatMessage = Microsoft.Extensions.AI.ChatMessage;
using AIFinishReason = Microsoft.Extensions.AI.ChatFinishReason;
using OpenAIChatMessage = OpenAI.Chat.ChatMessage;

namespace AgentRefine.OpenAI;

/// <summary>
/// An <see cref="IChatClient"/> over the official OpenAI .NET SDK, for OpenAI and OpenAI-compatible
/// servers. It maps text messages, temperature, top-p, seed, maximum output tokens, stop sequences
/// and JSON / JSON-schema response formats into the request; text, model id, finish reason, usage
/// and response id into the <see cref="ChatResponse"/>. The SDK's own retries are off: transport
/// failures surface as <see cref="LlmTransportException"/> (with the status and <c>Retry-After</c>)
/// so that <see cref="ResilientChatClient"/> retries them without spending a generation. No message
/// or exception it produces contains the API key.
/// </summary>
public sealed partial class OpenAICompatibleChatClient : IChatClient
{
    private readonly ChatClient _client;
    private readonly OpenAICompatibleChatClientOptions _options;
    private readonly string _apiKey;
    private readonly ChatClientMetadata _metadata;

    /// <summary>Creates the client.</summary>
    /// <param name="options">The settings.</param>
    /// <exception cref="ArgumentException">No model is set.</exception>
    /// <exception cref="InvalidOperationException">OpenAI's own endpoint is used and no API key is set or found in the environment variable.</exception>
    public OpenAICompatibleChatClient(OpenAICompatibleChatClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Model, nameof(OpenAICompatibleChatClientOptions.Model));
        _options = options;
        var key = options.ApiKey ?? Environment.GetEnvironmentVariable(options.ApiKeyEnvironmentVariable);
        if (string.IsNullOrWhiteSpace(key))
        {
            // Local servers (vLLM, Ollama) usually take no key; OpenAI itself always does.
            key = options.Endpoint is null
                ? throw new InvalidOperationException($"No API key: set OpenAICompatibleChatClientOptions.ApiKey or the {options.ApiKeyEnvironmentVariable} environment variable.")
                : "no-key";
        }

        _apiKey = key;
        var clientOptions = new OpenAIClientOptions
        {
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            NetworkTimeout = options.NetworkTimeout,
            OrganizationId = options.OrganizationId,
            UserAgentApplicationId = "AgentRefine",
        };
        if (options.Endpoint is not null)
        {
            clientOptions.Endpoint = options.Endpoint;
        }

        _client = new ChatClient(options.Model, new ApiKeyCredential(key), clientOptions);
        _metadata = new ChatClientMetadata("openai-compatible", options.Endpoint ?? new Uri("https://api.openai.com/v1"), options.Model);
    }

    /// <inheritdoc />
    public async Task<ChatResponse> GetResponseAsync(IEnumerable<AIChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var request = CreateRequest(options);
        ChatCompletion completion;
        try
        {
            completion = (await _client.CompleteChatAsync(ToOpenAI(messages), request, cancellationToken).ConfigureAwait(false)).Value;
        }
        catch (Exception exception) when (Translate(exception, cancellationToken) is { } transport)
        {
            throw transport;
        }

        var text = string.Concat(completion.Content.Where(p => p.Kind == ChatMessageContentPartKind.Text).Select(p => p.Text));
        return new ChatResponse(new AIChatMessage(ChatRole.Assistant, text))
        {
            ResponseId = completion.Id,
            ModelId = completion.Model,
            CreatedAt = completion.CreatedAt,
            FinishReason = MapFinishReason(completion.FinishReason),
            Usage = completion.Usage is { } usage
                ? new UsageDetails { InputTokenCount = usage.InputTokenCount, OutputTokenCount = usage.OutputTokenCount, TotalTokenCount = usage.TotalTokenCount }
                : null,
            RawRepresentation = completion,
        };
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<AIChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var updates = _client.CompleteChatStreamingAsync(ToOpenAI(messages), CreateRequest(options), cancellationToken);
        var enumerator = updates.GetAsyncEnumerator(cancellationToken);
        await using var disposeEnumerator = enumerator.ConfigureAwait(false);
        while (true)
        {
            StreamingChatCompletionUpdate update;
            try
            {
                if (!await enumerator.MoveNextAsync().ConfigureAwait(false))
                {
                    yield break;
                }

                update = enumerator.Current;
            }
            catch (Exception exception) when (Translate(exception, cancellationToken) is { } transport)
            {
                throw transport;
            }

            var result = new ChatResponseUpdate(ChatRole.Assistant, string.Concat(update.ContentUpdate.Select(p => p.Text)))
            {
                ResponseId = update.CompletionId,
                ModelId = update.Model,
                FinishReason = update.FinishReason is { } reason ? MapFinishReason(reason) : null,
                RawRepresentation = update,
            };
            if (update.Usage is { } usage)
            {
                result.Contents.Add(new UsageContent(new UsageDetails { InputTokenCount = usage.InputTokenCount, OutputTokenCount = usage.OutputTokenCount, TotalTokenCount = usage.TotalTokenCount }));
            }

            yield return result;
        }
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is not null ? null
            : serviceType == typeof(ChatClientMetadata) ? _metadata
            : serviceType == typeof(ChatClient) ? _client
            : serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    /// <inheritdoc />
    public void Dispose()
    {
    }

    private ChatCompletionOptions CreateRequest(ChatOptions? options)
    {
        var request = new ChatCompletionOptions
        {
            Temperature = options?.Temperature ?? _options.Temperature,
            TopP = options?.TopP,
            MaxOutputTokenCount = options?.MaxOutputTokens ?? _options.MaxOutputTokens,
            Seed = options?.Seed ?? _options.Seed,
            FrequencyPenalty = options?.FrequencyPenalty,
            PresencePenalty = options?.PresencePenalty,
        };
        foreach (var stop in options?.StopSequences ?? _options.StopSequences)
        {
            request.StopSequences.Add(stop);
        }

        request.ResponseFormat = options?.ResponseFormat switch
        {
            ChatResponseFormatJson { Schema: { } schema } json => global::OpenAI.Chat.ChatResponseFormat.CreateJsonSchemaFormat(
                json.SchemaName ?? "response", BinaryData.FromString(schema.GetRawText()), json.SchemaDescription, jsonSchemaIsStrict: false),
            ChatResponseFormatJson => global::OpenAI.Chat.ChatResponseFormat.CreateJsonObjectFormat(),
            _ => null,
        };
        return request;
    }

    private static List<OpenAIChatMessage> ToOpenAI(IEnumerable<AIChatMessage> messages)
    {
        var list = new List<OpenAIChatMessage>();
        foreach (var message in messages)
        {
            var text = message.Text ?? string.Empty;
            list.Add(message.Role.Value switch
            {
                "system" => new SystemChatMessage(text),
                "assistant" => new AssistantChatMessage(text),
                "user" => new UserChatMessage(text),
                var other => throw new NotSupportedException($"Chat role '{other}' is not supported by this client (system, user and assistant text messages are)."),
            });
        }

        return list;
    }

    private static AIFinishReason? MapFinishReason(global::OpenAI.Chat.ChatFinishReason reason) => reason switch
    {
        global::OpenAI.Chat.ChatFinishReason.Stop => AIFinishReason.Stop,
        global::OpenAI.Chat.ChatFinishReason.Length => AIFinishReason.Length,
        global::OpenAI.Chat.ChatFinishReason.ContentFilter => AIFinishReason.ContentFilter,
        global::OpenAI.Chat.ChatFinishReason.ToolCalls or global::OpenAI.Chat.ChatFinishReason.FunctionCall => AIFinishReason.ToolCalls,
        _ => null,
    };

    /// <summary>Turns SDK and network failures into <see cref="LlmTransportException"/> with the key scrubbed; <see langword="null"/> for the caller's own cancellation.</summary>
    private LlmTransportException? Translate(Exception exception, CancellationToken cancellationToken)
    {
        var server = _options.Endpoint?.Host ?? "api.openai.com";
        switch (exception)
        {
            case ClientResultException result when result.Status > 0:
                var response = result.GetRawResponse();
                var detail = response is null ? string.Empty : ErrorDetail(response);
                return new LlmTransportException(
                    Scrub($"The model server {server} answered {result.Status} {response?.ReasonPhrase}{detail}".TrimEnd()),
                    result.Status,
                    response is null ? null : RetryAfter(response));
            case ClientResultException:
            case HttpRequestException:
            case IOException:
                return new LlmTransportException(Scrub($"The model server {server} could not be reached: {exception.Message}"), statusCode: null);
            case OperationCanceledException when !cancellationToken.IsCancellationRequested:
                return new LlmTransportException($"The model server {server} did not answer within {_options.NetworkTimeout.TotalSeconds:0} s.", statusCode: null);
            default:
                return null;
        }
    }

    private string Scrub(string text)
    {
        if (_apiKey.Length >= 4)
        {
            text = text.Replace(_apiKey, "[redacted]", StringComparison.Ordinal);
        }

        return KeyLike().Replace(text, "[redacted]");
    }

    private static string ErrorDetail(PipelineResponse response)
    {
        try
        {
            using var document = JsonDocument.Parse(response.Content);
            if (document.RootElement.TryGetProperty("error", out var error))
            {
                var message = error.ValueKind == JsonValueKind.Object && error.TryGetProperty("message", out var m) ? m.GetString() : error.ToString();
                if (!string.IsNullOrWhiteSpace(message))
                {
                    return ": " + (message.Length > 300 ? message[..300] + "…" : message);
                }
            }
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException)
        {
        }

        return string.Empty;
    }

    /// <summary>Reads <c>retry-after-ms</c> (OpenAI) or <c>Retry-After</c> (seconds or an HTTP date).</summary>
    internal static TimeSpan? RetryAfter(PipelineResponse response)
    {
        if (response.Headers.TryGetValue("retry-after-ms", out var milliseconds)
            && double.TryParse(milliseconds, NumberStyles.Float, CultureInfo.InvariantCulture, out var ms) && ms >= 0)
        {
            return TimeSpan.FromMilliseconds(ms);
        }

        if (response.Headers.TryGetValue("Retry-After", out var value) && value is not null)
        {
            if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0)
            {
                return TimeSpan.FromSeconds(seconds);
            }

            if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date))
            {
                var delay = date - DateTimeOffset.UtcNow;
                return delay > TimeSpan.Zero ? delay : TimeSpan.Zero;
            }
        }

        return null;
    }

    [GeneratedRegex(@"\bsk-[A-Za-z0-9_\-\*]{6,}")]
    private static partial Regex KeyLike();
}
