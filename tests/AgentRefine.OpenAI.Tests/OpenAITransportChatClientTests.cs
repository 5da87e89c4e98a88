using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using AgentRefine.Llm;
using AgentRefine.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.AI;

namespace AgentRefine.OpenAI.Tests;

/// <summary>Transport failures through <see cref="AgentRefineOpenAI.CreateChatClient"/> become <see cref="LlmTransportException"/> without keys.</summary>
public sealed class OpenAITransportChatClientTests : IAsyncLifetime
{
    private const string Key = "sk-test-1234567890abcdef";
    private LoopbackOpenAIServer _server = null!;

    public async Task InitializeAsync() => _server = await LoopbackOpenAIServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private string Server => _server.Endpoint.Authority;

    private IChatClient Client(Action<AgentRefineOpenAIOptions>? configure = null)
    {
        var options = new AgentRefineOpenAIOptions { Endpoint = _server.Endpoint, Model = "llama-3-70b", ApiKey = Key };
        configure?.Invoke(options);
        return AgentRefineOpenAI.CreateChatClient(options);
    }

    private static readonly ChatMessage[] Go = [new(ChatRole.User, "go")];

    private static Uri ClosedPortEndpoint()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return new Uri($"http://127.0.0.1:{port}/v1");
    }

    [Fact]
    public async Task A_429_surfaces_as_a_transient_error_with_retry_after_and_the_server_message()
    {
        _server.ReplyError(429, "Rate limit reached", ("Retry-After", "3"));
        using var client = Client();

        var act = () => client.GetResponseAsync(Go);

        var error = (await act.Should().ThrowAsync<LlmTransportException>()).Which;
        error.StatusCode.Should().Be(429);
        error.RetryAfter.Should().Be(TimeSpan.FromSeconds(3));
        error.IsTransient.Should().BeTrue();
        LlmErrors.IsFatal(error).Should().BeFalse();
        error.Message.Should().Be($"The model server {Server} answered 429 Too Many Requests: Rate limit reached");
    }

    [Fact]
    public async Task Retry_after_ms_wins_over_retry_after()
    {
        _server.ReplyError(429, "slow down", ("retry-after-ms", "1500"), ("Retry-After", "9"));
        using var client = Client();
        var act = () => client.GetResponseAsync(Go);
        (await act.Should().ThrowAsync<LlmTransportException>()).Which.RetryAfter.Should().Be(TimeSpan.FromMilliseconds(1500));
    }

    [Fact]
    public async Task Retry_after_may_be_an_http_date()
    {
        _server.ReplyError(503, "overloaded", ("Retry-After", DateTimeOffset.UtcNow.AddSeconds(30).ToString("R")));
        using var client = Client();

        var act = () => client.GetResponseAsync(Go);

        var error = (await act.Should().ThrowAsync<LlmTransportException>()).Which;
        error.StatusCode.Should().Be(503);
        error.IsTransient.Should().BeTrue();
        error.RetryAfter.Should().BeCloseTo(TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task A_401_is_fatal_and_never_shows_the_key()
    {
        _server.ReplyError(401, $"Incorrect API key provided: {Key}. You can find your key at ...");
        using var client = Client();

        var act = () => client.GetResponseAsync(Go);

        var error = (await act.Should().ThrowAsync<LlmTransportException>()).Which;
        error.StatusCode.Should().Be(401);
        LlmErrors.IsFatal(error).Should().BeTrue();
        error.ToString().Should().NotContain(Key).And.NotContain("sk-test");
        error.Message.Should().Contain("Incorrect API key provided: [redacted]");
        error.InnerException.Should().BeNull("the SDK's exception quotes the response body, which holds the key");
    }

    [Fact]
    public async Task A_configured_key_of_any_shape_is_redacted()
    {
        const string localKey = "local-secret-0123456789";
        _server.ReplyError(403, $"key {localKey} may not use this model");
        using var client = Client(o => o.ApiKey = localKey);

        var act = () => client.GetResponseAsync(Go);

        var error = (await act.Should().ThrowAsync<LlmTransportException>()).Which;
        error.StatusCode.Should().Be(403);
        error.ToString().Should().NotContain(localKey);
        error.Message.Should().EndWith(": key [redacted] may not use this model");
    }

    [Theory]
    [InlineData("""{"object":"error","message":"This model's maximum context length is 8192 tokens","type":"BadRequestError","code":400}""", "This model's maximum context length is 8192 tokens")]
    [InlineData("""{"error":"model 'llama3' not found"}""", "model 'llama3' not found")]
    [InlineData("""{"detail":"Not Found"}""", "Not Found")]
    public async Task Error_messages_of_vllm_ollama_and_fastapi_servers_are_appended(string body, string expected)
    {
        _server.Reply(context =>
        {
            context.Response.StatusCode = 400;
            context.Response.ContentType = "application/json";
            return context.Response.WriteAsync(body);
        });
        using var client = Client();

        var act = () => client.GetResponseAsync(Go);

        (await act.Should().ThrowAsync<LlmTransportException>()).Which.Message.Should().Be($"The model server {Server} answered 400 Bad Request: {expected}");
    }

    [Fact]
    public async Task A_long_server_message_is_truncated()
    {
        _server.ReplyError(500, new string('x', 5_000));
        using var client = Client();

        var act = () => client.GetResponseAsync(Go);

        var message = (await act.Should().ThrowAsync<LlmTransportException>()).Which.Message;
        message.Should().EndWith("…");
        message.Length.Should().BeLessThan(400);
    }

    [Fact]
    public async Task The_resilient_wrapper_retries_server_errors_through_the_adapter()
    {
        _server.ReplyError(500, "boom");
        _server.ReplyError(429, "busy", ("Retry-After", "0"));
        _server.ReplyCompletion("finally");
        using var client = new ResilientChatClient(Client(), new LlmResilienceOptions { BaseDelay = TimeSpan.Zero });

        var response = await client.GetResponseAsync(Go);

        response.Text.Should().Be("finally");
        response.AdditionalProperties![LlmResponseProperties.Retries].Should().Be(2);
        _server.Requests.Should().HaveCount(3, "the SDK's own retries are off; only the wrapper retries");
    }

    [Fact]
    public async Task A_refused_connection_is_a_transient_error_that_names_the_server_and_comes_at_once()
    {
        var closed = ClosedPortEndpoint();
        using var client = AgentRefineOpenAI.CreateChatClient(new AgentRefineOpenAIOptions { Endpoint = closed, Model = "m", ApiKey = Key });
        var clock = Stopwatch.StartNew();

        var act = () => client.GetResponseAsync(Go);

        var error = (await act.Should().ThrowAsync<LlmTransportException>()).Which;
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(10));
        error.StatusCode.Should().BeNull();
        error.IsTransient.Should().BeTrue();
        error.Message.Should().Be($"The model server {closed.Authority} could not be reached: connection refused (is the server running on that port?)");
        error.Kind.Should().Be(LlmFailureKind.Unreachable, "a refused connection is a server that is not there");
        error.ToString().Should().NotContain(Key);
        error.InnerException.Should().NotBeNull("the network failure holds no key, so it is kept for diagnosis");
    }

    [Fact]
    public async Task A_server_that_does_not_answer_within_the_network_timeout_is_a_transient_timeout()
    {
        _server.Reply(async context => await Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted));
        using var client = Client(o => o.NetworkTimeout = TimeSpan.FromMilliseconds(300));
        var clock = Stopwatch.StartNew();

        var act = () => client.GetResponseAsync(Go);

        var error = (await act.Should().ThrowAsync<LlmTransportException>()).Which;
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(10));
        error.StatusCode.Should().BeNull();
        error.IsTransient.Should().BeTrue();
        error.Message.Should().Be($"The model server {Server} did not answer within the network timeout of 300 ms.");
        error.Kind.Should().Be(LlmFailureKind.Timeout);
    }

    [Fact]
    public async Task The_callers_cancellation_passes_through_as_cancellation()
    {
        _server.Reply(async context => await Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted));
        using var client = Client();
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        var act = () => client.GetResponseAsync(Go, cancellationToken: cancellation.Token);

        var error = (await act.Should().ThrowAsync<OperationCanceledException>()).Which;
        error.Should().NotBeOfType<LlmTransportException>();
        LlmErrors.IsTransient(error, cancellation.Token).Should().BeFalse();
    }

    [Fact]
    public async Task Streaming_translates_an_http_error_the_same_way()
    {
        _server.ReplyError(429, $"busy, key {Key}", ("Retry-After", "2"));
        using var client = Client();

        var act = async () => await client.GetStreamingResponseAsync(Go).ToListAsync();

        var error = (await act.Should().ThrowAsync<LlmTransportException>()).Which;
        error.StatusCode.Should().Be(429);
        error.RetryAfter.Should().Be(TimeSpan.FromSeconds(2));
        error.Message.Should().Be($"The model server {Server} answered 429 Too Many Requests: busy, key [redacted]");
    }

    [Fact]
    public async Task Streaming_translates_a_refused_connection()
    {
        var closed = ClosedPortEndpoint();
        using var client = AgentRefineOpenAI.CreateChatClient(new AgentRefineOpenAIOptions { Endpoint = closed, Model = "m", ApiKey = Key });

        var act = async () => await client.GetStreamingResponseAsync(Go).ToListAsync();

        var error = (await act.Should().ThrowAsync<LlmTransportException>()).Which;
        error.StatusCode.Should().BeNull();
        error.Message.Should().Contain(closed.Authority).And.Contain("connection refused");
    }

    [Fact]
    public void Redaction_covers_the_configured_key_sk_keys_and_bearer_tokens()
    {
        using var inner = new OpenAITransportChatClient(Client(), new Uri("http://localhost:8000/v1"), "my-own-key-42", TimeSpan.FromSeconds(1));

        var text = inner.Redact("a my-own-key-42 b sk-proj-ABCdef123456_-x c Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.abc d");

        text.Should().Be("a [redacted] b [redacted] c Authorization: Bearer [redacted] d");
    }
}
