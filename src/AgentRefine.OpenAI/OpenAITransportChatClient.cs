using System.ClientModel;
using System.ClientModel.Primitives;
using System.Globalization;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.RegularExpressions;
using AgentRefine.Llm;
using Microsoft.Extensions.AI;

namespace AgentRefine.OpenAI;

/// <summary>
/// The innermost stage over Microsoft.Extensions.AI.OpenAI's chat client: it turns the SDK's and the
/// network's failures into <see cref="LlmTransportException"/>, the type AgentRefine's resilience
/// stage classifies and retries. An HTTP error keeps its status, the delay the server asked for
/// (<c>retry-after-ms</c>, else <c>Retry-After</c> in seconds or as an HTTP date) and the server's error
/// message (truncated); a failure without a response (refused connection, DNS, reset) and a network
/// timeout have no status. The caller's own cancellation passes through untouched. API keys (the
/// configured one and any <c>sk-…</c> text) are removed from every message, and the original
/// exception is kept as the inner exception only when its text holds no key.
/// </summary>
internal sealed partial class OpenAITransportChatClient : DelegatingChatClient
{
    private const int MaxDetailLength = 300;
    private const string Redacted = "[redacted]";

    private readonly string _server;
    private readonly string? _apiKey;
    private readonly TimeSpan _networkTimeout;

    /// <summary>Creates the stage.</summary>
    /// <param name="innerClient">The OpenAI chat client.</param>
    /// <param name="endpoint">The server's address; its host (and port) names the server in messages.</param>
    /// <param name="apiKey">The configured key, removed from messages; <see langword="null"/> when a placeholder is sent.</param>
    /// <param name="networkTimeout">The SDK's network timeout, named in timeout messages.</param>
    public OpenAITransportChatClient(IChatClient innerClient, Uri endpoint, string? apiKey, TimeSpan networkTimeout)
        : base(innerClient)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        _server = endpoint.Authority;
        _apiKey = string.IsNullOrWhiteSpace(apiKey) ? null : apiKey;
        _networkTimeout = networkTimeout;
    }

    /// <inheritdoc />
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        try
        {
            return await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (Translate(exception, cancellationToken) is { } transport)
        {
            throw transport;
        }
    }

    /// <inheritdoc />
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        IAsyncEnumerator<ChatResponseUpdate> enumerator;
        try
        {
            enumerator = base.GetStreamingResponseAsync(messages, options, cancellationToken).GetAsyncEnumerator(cancellationToken);
        }
        catch (Exception exception) when (Translate(exception, cancellationToken) is { } transport)
        {
            throw transport;
        }

        await using var disposeEnumerator = enumerator.ConfigureAwait(false);
        while (true)
        {
            try
            {
                if (!await enumerator.MoveNextAsync().ConfigureAwait(false))
                {
                    yield break;
                }
            }
            catch (Exception exception) when (Translate(exception, cancellationToken) is { } transport)
            {
                throw transport;
            }

            yield return enumerator.Current;
        }
    }

    /// <summary>
    /// The <see cref="LlmTransportException"/> for a failure of the SDK or the network;
    /// <see langword="null"/> for anything else, which propagates as it is (the caller's own
    /// cancellation, argument errors, an <see cref="LlmTransportException"/> already).
    /// </summary>
    /// <param name="exception">The failure.</param>
    /// <param name="cancellationToken">The caller's token: a cancellation it asked for is not a timeout.</param>
    /// <returns>The exception to throw instead, or <see langword="null"/>.</returns>
    internal LlmTransportException? Translate(Exception exception, CancellationToken cancellationToken)
    {
        switch (exception)
        {
            case LlmTransportException:
                return null;
            case ClientResultException { Status: > 0 } result:
                var response = result.GetRawResponse();
                var reason = string.IsNullOrWhiteSpace(response?.ReasonPhrase) ? string.Empty : " " + response.ReasonPhrase;
                var detail = response is null ? null : ErrorDetail(response);
                return new LlmTransportException(
                    Redact($"The model server {_server} answered {result.Status}{reason}{(detail is null ? string.Empty : ": " + detail)}"),
                    result.Status,
                    response is null ? null : RetryAfter(response),
                    SafeInner(exception));
            case HttpRequestException { StatusCode: { } status }:
                return new LlmTransportException(Redact($"The model server {_server} answered {(int)status} {status}"), (int)status, retryAfter: null, SafeInner(exception));
            case ClientResultException or HttpRequestException or IOException or SocketException:
                var cause = IsConnectionRefused(exception) ? "connection refused (is the server running on that port?)" : exception.GetBaseException().Message;
                return new LlmTransportException(
                    Redact($"The model server {_server} could not be reached: {cause}"),
                    statusCode: null,
                    retryAfter: null,
                    SafeInner(exception))
                {
                    Kind = IsNoConnection(exception) ? LlmFailureKind.Unreachable : LlmFailureKind.Other,
                };
            case OperationCanceledException when !cancellationToken.IsCancellationRequested:
                return new LlmTransportException(
                    _networkTimeout == Timeout.InfiniteTimeSpan
                        ? $"The request to the model server {_server} was cancelled before it answered."
                        : $"The model server {_server} did not answer within the network timeout of {FormatTimeout(_networkTimeout)}.",
                    statusCode: null,
                    retryAfter: null,
                    SafeInner(exception))
                {
                    Kind = LlmFailureKind.Timeout,
                };
            default:
                return null;
        }
    }

    /// <summary>Reads <c>retry-after-ms</c> (OpenAI) or <c>Retry-After</c> (seconds or an HTTP date).</summary>
    /// <param name="response">The error response.</param>
    /// <returns>The delay the server asked for, or <see langword="null"/>.</returns>
    internal static TimeSpan? RetryAfter(PipelineResponse response)
    {
        if (response.Headers.TryGetValue("retry-after-ms", out var milliseconds)
            && double.TryParse(milliseconds, NumberStyles.Float, CultureInfo.InvariantCulture, out var ms) && ms >= 0 && !double.IsInfinity(ms))
        {
            return TimeSpan.FromMilliseconds(ms);
        }

        if (response.Headers.TryGetValue("Retry-After", out var value) && !string.IsNullOrWhiteSpace(value))
        {
            if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0 && seconds < TimeSpan.MaxValue.TotalSeconds)
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

    /// <summary>Removes the configured key, <c>sk-…</c> keys and bearer tokens from <paramref name="text"/>.</summary>
    /// <param name="text">Text that may hold a key.</param>
    /// <returns>The text without keys.</returns>
    internal string Redact(string text)
    {
        if (_apiKey is { Length: >= 4 })
        {
            text = text.Replace(_apiKey, Redacted, StringComparison.Ordinal);
        }

        try
        {
            return BearerToken().Replace(KeyLike().Replace(text, Redacted), "Bearer " + Redacted);
        }
        catch (RegexMatchTimeoutException)
        {
            return "(the message was withheld: it could not be checked for API keys)";
        }
    }

    /// <summary>The exception itself when nothing in its text (inner exceptions included) is a key; otherwise <see langword="null"/>.</summary>
    private Exception? SafeInner(Exception exception)
    {
        var text = exception.ToString();
        return Redact(text) == text ? exception : null;
    }

    /// <summary>The server's error message: OpenAI's <c>error.message</c> (or <c>error</c> as text, as Ollama sends it), vLLM's <c>message</c>, FastAPI's <c>detail</c>; truncated.</summary>
    private static string? ErrorDetail(PipelineResponse response)
    {
        string? message = null;
        try
        {
            using var document = JsonDocument.Parse(response.Content);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
            {
                message = root.TryGetProperty("error", out var error)
                    ? error.ValueKind switch
                    {
                        JsonValueKind.Object => error.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : error.GetRawText(),
                        JsonValueKind.String => error.GetString(),
                        _ => null,
                    }
                    : root.TryGetProperty("message", out var top) && top.ValueKind == JsonValueKind.String ? top.GetString()
                    : root.TryGetProperty("detail", out var detail) ? (detail.ValueKind == JsonValueKind.String ? detail.GetString() : detail.GetRawText())
                    : null;
            }
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException or ArgumentException)
        {
            // Not JSON, or a body that was not buffered: the status says enough.
        }

        if (string.IsNullOrWhiteSpace(message))
        {
            return null;
        }

        message = message.Trim();
        return message.Length > MaxDetailLength ? message[..MaxDetailLength] + "…" : message;
    }

    /// <summary>Whether no connection was made at all: refused, host not found, network unreachable, or a TLS handshake that failed.</summary>
    private static bool IsNoConnection(Exception exception)
    {
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            if (current is SocketException { SocketErrorCode: SocketError.ConnectionRefused or SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain or SocketError.NetworkUnreachable or SocketError.HostUnreachable or SocketError.AddressNotAvailable }
                || current is System.Security.Authentication.AuthenticationException)
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsConnectionRefused(Exception exception)
    {
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            if (current is SocketException { SocketErrorCode: SocketError.ConnectionRefused })
            {
                return true;
            }
        }

        return false;
    }

    private static string FormatTimeout(TimeSpan timeout) =>
        timeout.TotalSeconds >= 1 ? string.Create(CultureInfo.InvariantCulture, $"{timeout.TotalSeconds:0.###} s")
        : string.Create(CultureInfo.InvariantCulture, $"{timeout.TotalMilliseconds:0} ms");

    [GeneratedRegex(@"\bsk-[A-Za-z0-9_\-\*]{6,}", RegexOptions.None, matchTimeoutMilliseconds: 1000)]
    private static partial Regex KeyLike();

    [GeneratedRegex(@"\bBearer\s+[A-Za-z0-9._~+/=\-]{8,}", RegexOptions.IgnoreCase, matchTimeoutMilliseconds: 1000)]
    private static partial Regex BearerToken();
}
