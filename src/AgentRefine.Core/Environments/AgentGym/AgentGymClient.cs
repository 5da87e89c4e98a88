using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AgentRefine.Environments;

/// <summary>
/// The HTTP side of an AgentGym server: JSON requests with a time budget, bounded answers, retries of
/// transient failures (5xx, 408, 429, timeouts, and dropped connections once the server has answered)
/// with doubling delays, and AgentGym's in-band errors (<c>200 {"error": "..."}</c>) as failures. A
/// server that cannot be reached before it ever answered is reported at once as unreachable.
/// </summary>
internal sealed class AgentGymClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly AgentGymOptions _options;
    private readonly Uri _base;
    private int _answered;

    public AgentGymClient(AgentGymOptions options, HttpClient? http)
    {
        _options = options;
        var server = options.Server!.ToString();
        _base = new Uri(server.EndsWith('/') ? server : server + "/", UriKind.Absolute);
        _ownsHttp = http is null;
        _http = http ?? new HttpClient(new SocketsHttpHandler { ConnectTimeout = options.ConnectTimeout, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    public string ServerName => _options.Server!.ToString().TrimEnd('/');

    public Task<JsonNode?> PostAsync(string path, JsonObject body, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, path, body, cancellationToken);

    public Task<JsonNode?> GetAsync(string pathAndQuery, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, pathAndQuery, null, cancellationToken);

    /// <summary>Checks that the server answers at all (<c>GET /</c>; any HTTP status will do).</summary>
    public async Task CheckAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.ConnectTimeout + _options.ConnectTimeout);
        try
        {
            using var response = await _http.GetAsync(_base, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            Interlocked.Exchange(ref _answered, 1);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw Unreachable("GET /", $"no answer within {Seconds(_options.ConnectTimeout + _options.ConnectTimeout)}", null);
        }
        catch (HttpRequestException exception)
        {
            throw Unreachable("GET /", Describe(exception), exception);
        }
    }

    private async Task<JsonNode?> SendAsync(HttpMethod method, string path, JsonObject? body, CancellationToken cancellationToken)
    {
        var what = $"{method.Method} /{path}";
        for (var attempt = 0; ; attempt++)
        {
            string? transient;
            Exception? cause = null;
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                timeout.CancelAfter(_options.RequestTimeout);
                try
                {
                    using var request = new HttpRequestMessage(method, new Uri(_base, path));
                    if (body is not null)
                    {
                        request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
                    }

                    using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
                    Interlocked.Exchange(ref _answered, 1);
                    var status = (int)response.StatusCode;
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        return Parse(what, await ReadBoundedAsync(response.Content, what, timeout.Token).ConfigureAwait(false));
                    }

                    var detail = Shorten(await ReadBoundedAsync(response.Content, what, timeout.Token).ConfigureAwait(false));
                    if (status is not (408 or 429 or >= 500))
                    {
                        throw new AgentEnvironmentException($"AgentGym server {ServerName}: {what} answered HTTP {status}{(detail.Length > 0 ? ": " + detail : string.Empty)}.");
                    }

                    transient = $"HTTP {status}{(detail.Length > 0 ? ": " + detail : string.Empty)}";
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    throw;
                }
                catch (OperationCanceledException exception)
                {
                    transient = $"no answer within {Seconds(_options.RequestTimeout)}";
                    cause = exception;
                }
                catch (HttpRequestException exception)
                {
                    if (Volatile.Read(ref _answered) == 0)
                    {
                        throw Unreachable(what, Describe(exception), exception);
                    }

                    transient = Describe(exception);
                    cause = exception;
                }
            }

            if (attempt >= _options.MaxRetries)
            {
                var retries = attempt == 0 ? string.Empty : string.Create(CultureInfo.InvariantCulture, $" (after {attempt} retries)");
                throw new AgentEnvironmentException($"AgentGym server {ServerName}: {what} failed: {transient}{retries}.", cause);
            }

            var delay = _options.RetryDelay * Math.Pow(2, attempt);
            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<string> ReadBoundedAsync(HttpContent content, string what, CancellationToken cancellationToken)
    {
        var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var buffer = new MemoryStream();
            var chunk = new byte[1 << 14];
            int read;
            while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > _options.MaxResponseBytes)
                {
                    throw new AgentEnvironmentException(string.Create(CultureInfo.InvariantCulture, $"AgentGym server {ServerName}: {what} answered more than {_options.MaxResponseBytes:N0} bytes (MaxResponseBytes)."));
                }

                buffer.Write(chunk, 0, read);
            }

            return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        }
    }

    private JsonNode? Parse(string what, string text)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException exception)
        {
            throw new AgentEnvironmentException($"AgentGym server {ServerName}: {what} answered something that is not JSON: {Shorten(text)}", exception);
        }

        if (node is JsonObject answer && answer.TryGetPropertyValue("error", out var error) && error is not null)
        {
            var message = error is JsonValue value && value.TryGetValue<string>(out var s) ? s : error.ToJsonString();
            throw new AgentEnvironmentException($"AgentGym server {ServerName}: {what} answered an error: {Shorten(message)}");
        }

        return node;
    }

    private AgentEnvironmentException Unreachable(string what, string reason, Exception? cause) =>
        new($"the AgentGym server {ServerName} cannot be reached ({what}: {reason}); is it running, and is --server right?", cause) { IsFatal = true };

    private static string Describe(HttpRequestException exception) =>
        exception.InnerException is SocketException socket ? socket.SocketErrorCode switch
        {
            SocketError.ConnectionRefused => "connection refused",
            SocketError.HostNotFound or SocketError.NoData => "host not found",
            SocketError.TimedOut => "connection timed out",
            _ => socket.Message,
        }
        : exception.Message;

    private static string Seconds(TimeSpan time) => time.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture) + " s";

    private static string Shorten(string text)
    {
        var line = text.ReplaceLineEndings(" ").Trim();
        return line.Length > 300 ? line[..300] + "…" : line;
    }

    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }
}
