using AgentRefine.Json;
using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace AgentRefine.Llm;

/// <summary>
/// An on-disk cache of finished model calls, keyed by a SHA-256 hash of the messages and the options
/// that shape the answer (model, temperature, top-p, seed, maximum output tokens, stop sequences,
/// response format, and every additional property, which includes the library's record id and
/// attempt number), and of the inner client's provider, endpoint and default model
/// (<see cref="ChatClientMetadata"/>), so that another model never replays this one's answers. A rerun, or a resume after a crash, replays
/// finished calls for free. Entries are written whole (temporary file, then rename) so a crash never
/// leaves a torn entry; an unreadable entry counts as a miss. Responses served from the cache carry
/// <see cref="LlmResponseProperties.Cached"/>.
/// </summary>
public sealed class ResponseCacheChatClient : DelegatingChatClient
{
    private readonly string _directory;
    private readonly string? _identity;

    /// <summary>Creates the cache.</summary>
    /// <param name="innerClient">The client whose answers are cached.</param>
    /// <param name="directory">The cache folder; created if missing.</param>
    public ResponseCacheChatClient(IChatClient innerClient, string directory)
        : base(innerClient)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        _directory = Path.GetFullPath(directory);
        Directory.CreateDirectory(_directory);
        var metadata = innerClient.GetService<ChatClientMetadata>();
        _identity = metadata is null ? null : $"{metadata.ProviderName}|{metadata.ProviderUri}|{metadata.DefaultModelId}";
    }

    /// <inheritdoc />
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var list = messages as IReadOnlyCollection<ChatMessage> ?? messages.ToList();
        var path = Path.Combine(_directory, ComputeKey(list, options, _identity) + ".json");
        if (await TryReadAsync(path, cancellationToken).ConfigureAwait(false) is { } cached)
        {
            return cached;
        }

        var response = await base.GetResponseAsync(list, options, cancellationToken).ConfigureAwait(false);
        await WriteAsync(path, response, cancellationToken).ConfigureAwait(false);
        return response;
    }

    /// <summary>The cache key of a call: a lowercase hex SHA-256 of its canonical form.</summary>
    /// <param name="messages">The messages.</param>
    /// <param name="options">The options.</param>
    /// <param name="clientIdentity">Who answers (provider, endpoint and default model of the inner client), so that another model never gets this model's answers.</param>
    /// <returns>The key.</returns>
    public static string ComputeKey(IEnumerable<ChatMessage> messages, ChatOptions? options, string? clientIdentity = null)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("client", clientIdentity);
            writer.WriteStartArray("messages");
            foreach (var message in messages)
            {
                writer.WriteStartArray();
                writer.WriteStringValue(message.Role.Value);
                writer.WriteStringValue(message.Text);
                writer.WriteEndArray();
            }

            writer.WriteEndArray();
            if (options is not null)
            {
                writer.WriteString("model", options.ModelId);
                WriteNumber(writer, "temperature", options.Temperature);
                WriteNumber(writer, "topP", options.TopP);
                WriteNumber(writer, "seed", options.Seed);
                WriteNumber(writer, "maxOutputTokens", options.MaxOutputTokens);
                writer.WriteString("instructions", options.Instructions);
                writer.WriteStartArray("stop");
                foreach (var stop in options.StopSequences ?? [])
                {
                    writer.WriteStringValue(stop);
                }

                writer.WriteEndArray();
                writer.WriteString("format", options.ResponseFormat switch
                {
                    ChatResponseFormatJson { Schema: { } schema } json => "json-schema:" + json.SchemaName + ":" + schema.GetRawText(),
                    ChatResponseFormatJson => "json",
                    ChatResponseFormatText => "text",
                    _ => null,
                });
                writer.WriteStartObject("properties");
                foreach (var (key, value) in (options.AdditionalProperties ?? []).OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    writer.WriteString(key, Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture));
                }

                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        return Convert.ToHexStringLower(SHA256.HashData(buffer.WrittenSpan));
    }

    private static void WriteNumber<T>(Utf8JsonWriter writer, string name, T? value)
        where T : struct
    {
        if (value is { } v)
        {
            writer.WriteString(name, Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    private static async Task<ChatResponse?> TryReadAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            var bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
            using var document = JsonDocument.Parse(bytes);
            var root = document.RootElement;
            var response = new ChatResponse(new ChatMessage(ChatRole.Assistant, root.GetProperty("text").GetString()))
            {
                ModelId = root.TryGetProperty("modelId", out var model) ? model.GetString() : null,
                FinishReason = root.TryGetProperty("finishReason", out var finish) && finish.GetString() is { } reason ? new ChatFinishReason(reason) : null,
                Usage = new UsageDetails
                {
                    InputTokenCount = root.TryGetProperty("inputTokens", out var input) && input.ValueKind == JsonValueKind.Number ? input.GetInt64() : null,
                    OutputTokenCount = root.TryGetProperty("outputTokens", out var output) && output.ValueKind == JsonValueKind.Number ? output.GetInt64() : null,
                },
                AdditionalProperties = new() { [LlmResponseProperties.Cached] = true, [LlmResponseProperties.Retries] = 0 },
            };
            return response;
        }
        catch (Exception exception) when (exception is JsonException or IOException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }

    private static async Task WriteAsync(string path, ChatResponse response, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer, CanonicalJson.WriterOptions(indented: false)))
        {
            writer.WriteStartObject();
            writer.WriteString("text", response.Text);
            writer.WriteString("modelId", response.ModelId);
            writer.WriteString("finishReason", response.FinishReason?.Value);
            if (response.Usage?.InputTokenCount is { } input)
            {
                writer.WriteNumber("inputTokens", input);
            }

            if (response.Usage?.OutputTokenCount is { } output)
            {
                writer.WriteNumber("outputTokens", output);
            }

            writer.WriteEndObject();
        }

        var temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        await File.WriteAllBytesAsync(temporary, buffer.WrittenMemory.ToArray(), cancellationToken).ConfigureAwait(false);
        File.Move(temporary, path, overwrite: true);
    }
}
