using System.Text.Json.Nodes;
using AgentRefine.Llm;
using AgentRefine.Testing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace AgentRefine.OpenAI.Tests;

public sealed class OpenAICompatibleChatClientTests : IAsyncLifetime
{
    private const string Key = "sk-test-1234567890abcdef";
    private LoopbackOpenAIServer _server = null!;

    public async Task InitializeAsync() => _server = await LoopbackOpenAIServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private OpenAICompatibleChatClient Client(Action<OpenAICompatibleChatClientOptions>? configure = null)
    {
        var options = new OpenAICompatibleChatClientOptions { Endpoint = _server.Endpoint, Model = "llama-3-70b", ApiKey = Key };
        configure?.Invoke(options);
        return new OpenAICompatibleChatClient(options);
    }

    private static readonly ChatMessage[] Conversation =
    [
        new(ChatRole.System, "You write scripts."),
        new(ChatRole.User, "Persona: a baker"),
        new(ChatRole.Assistant, "{\"Goal\": 1}"),
        new(ChatRole.User, "Fix it."),
    ];

    [Fact]
    public async Task The_request_carries_messages_and_every_sampling_setting()
    {
        _server.ReplyCompletion("{}");
        using var client = Client();

        await client.GetResponseAsync(Conversation, new ChatOptions
        {
            Temperature = 0.7f,
            TopP = 0.9f,
            Seed = 42,
            MaxOutputTokens = 321,
            StopSequences = ["END"],
            ResponseFormat = ChatResponseFormat.Json,
        });

        var (path, headers, body) = _server.Requests.Single();
        path.Should().Be("/v1/chat/completions");
        headers["Authorization"].Should().Be("Bearer " + Key);
        body["model"]!.GetValue<string>().Should().Be("llama-3-70b");
        body["messages"]!.ToJsonString().Should().Be("""[{"role":"system","content":"You write scripts."},{"role":"user","content":"Persona: a baker"},{"role":"assistant","content":"{\u0022Goal\u0022: 1}"},{"role":"user","content":"Fix it."}]""");
        body["temperature"]!.GetValue<double>().Should().BeApproximately(0.7, 1e-6);
        body["top_p"]!.GetValue<double>().Should().BeApproximately(0.9, 1e-6);
        body["seed"]!.GetValue<long>().Should().Be(42);
        body["max_completion_tokens"]!.GetValue<int>().Should().Be(321);
        body["stop"]!.ToJsonString().Should().Be("[\"END\"]");
        body["response_format"]!.ToJsonString().Should().Be("{\"type\":\"json_object\"}");
        body.ContainsKey("stream").Should().BeFalse();
    }

    [Fact]
    public async Task A_json_schema_format_is_sent_as_json_schema()
    {
        _server.ReplyCompletion("{}");
        using var client = Client();
        var schema = JsonNode.Parse("{\"type\":\"object\",\"properties\":{\"turns\":{\"type\":\"array\"}}}")!;

        await client.GetResponseAsync([new(ChatRole.User, "go")], new ChatOptions { ResponseFormat = ChatResponseFormat.ForJsonSchema(System.Text.Json.JsonSerializer.SerializeToElement(schema), "agentrefine_trajectory") });

        var format = _server.Requests.Single().Body["response_format"]!;
        format["type"]!.GetValue<string>().Should().Be("json_schema");
        format["json_schema"]!["name"]!.GetValue<string>().Should().Be("agentrefine_trajectory");
        format["json_schema"]!["strict"]!.GetValue<bool>().Should().BeFalse();
        format["json_schema"]!["schema"]!.ToJsonString().Should().Be(schema.ToJsonString());
    }

    [Fact]
    public async Task Client_defaults_apply_when_the_request_sets_nothing()
    {
        _server.ReplyCompletion("{}");
        using var client = Client(o => { o.Temperature = 0.2f; o.Seed = 7; o.MaxOutputTokens = 99; o.StopSequences.Add("###"); });

        await client.GetResponseAsync([new(ChatRole.User, "go")]);

        var body = _server.Requests.Single().Body;
        body["temperature"]!.GetValue<double>().Should().BeApproximately(0.2, 1e-6);
        body["seed"]!.GetValue<long>().Should().Be(7);
        body["max_completion_tokens"]!.GetValue<int>().Should().Be(99);
        body["stop"]!.ToJsonString().Should().Be("[\"###\"]");
        body.ContainsKey("response_format").Should().BeFalse();
    }

    [Fact]
    public async Task The_response_maps_text_model_finish_reason_and_usage()
    {
        _server.ReplyCompletion("{\"turns\": []}", model: "served-model-v2", finishReason: "length", input: 120, output: 4096);
        using var client = Client();

        var response = await client.GetResponseAsync([new(ChatRole.User, "go")]);

        response.Text.Should().Be("{\"turns\": []}");
        response.ModelId.Should().Be("served-model-v2");
        response.FinishReason.Should().Be(ChatFinishReason.Length);
        response.ResponseId.Should().Be("chatcmpl-123");
        response.Usage!.InputTokenCount.Should().Be(120);
        response.Usage.OutputTokenCount.Should().Be(4096);
        response.Usage.TotalTokenCount.Should().Be(4216);
    }

    [Fact]
    public async Task A_429_surfaces_as_a_transient_error_with_retry_after()
    {
        _server.ReplyError(429, "Rate limit reached", ("Retry-After", "3"));
        using var client = Client();

        var act = () => client.GetResponseAsync([new(ChatRole.User, "go")]);

        var error = (await act.Should().ThrowAsync<LlmTransportException>()).Which;
        error.StatusCode.Should().Be(429);
        error.RetryAfter.Should().Be(TimeSpan.FromSeconds(3));
        error.IsTransient.Should().BeTrue();
        error.Message.Should().Be("The model server 127.0.0.1 answered 429 Too Many Requests: Rate limit reached");
    }

    [Fact]
    public async Task Retry_after_ms_wins_over_retry_after()
    {
        _server.ReplyError(429, "slow down", ("retry-after-ms", "1500"), ("Retry-After", "9"));
        using var client = Client();
        var act = () => client.GetResponseAsync([new(ChatRole.User, "go")]);
        (await act.Should().ThrowAsync<LlmTransportException>()).Which.RetryAfter.Should().Be(TimeSpan.FromMilliseconds(1500));
    }

    [Fact]
    public async Task A_401_is_fatal_and_never_shows_the_key()
    {
        _server.ReplyError(401, $"Incorrect API key provided: {Key}. You can find your key at ...");
        using var client = Client();

        var act = () => client.GetResponseAsync([new(ChatRole.User, "go")]);

        var error = (await act.Should().ThrowAsync<LlmTransportException>()).Which;
        error.StatusCode.Should().Be(401);
        LlmErrors.IsFatal(error).Should().BeTrue();
        error.ToString().Should().NotContain(Key).And.NotContain("sk-test");
        error.Message.Should().Contain("Incorrect API key provided: [redacted]");
    }

    [Fact]
    public async Task The_resilient_wrapper_retries_server_errors_through_the_adapter()
    {
        _server.ReplyError(500, "boom");
        _server.ReplyError(429, "busy", ("Retry-After", "0"));
        _server.ReplyCompletion("finally");
        using var client = new ResilientChatClient(Client(), new LlmResilienceOptions { BaseDelay = TimeSpan.Zero });

        var response = await client.GetResponseAsync([new(ChatRole.User, "go")]);

        response.Text.Should().Be("finally");
        response.AdditionalProperties![LlmResponseProperties.Retries].Should().Be(2);
        _server.Requests.Should().HaveCount(3, "the SDK's own retries are off; only the wrapper retries");
    }

    [Fact]
    public async Task An_unreachable_server_is_a_transient_error()
    {
        var closed = _server.Endpoint;
        await _server.DisposeAsync();
        _server = await LoopbackOpenAIServer.StartAsync();
        using var client = new OpenAICompatibleChatClient(new OpenAICompatibleChatClientOptions { Endpoint = closed, Model = "m", ApiKey = Key });

        var act = () => client.GetResponseAsync([new(ChatRole.User, "go")]);

        var error = (await act.Should().ThrowAsync<LlmTransportException>()).Which;
        error.StatusCode.Should().BeNull();
        error.IsTransient.Should().BeTrue();
    }

    [Fact]
    public async Task The_key_can_come_from_an_environment_variable()
    {
        const string variable = "AGENTREFINE_OPENAI_TEST_KEY";
        Environment.SetEnvironmentVariable(variable, "sk-from-environment-42");
        try
        {
            _server.ReplyCompletion("ok");
            using var client = new OpenAICompatibleChatClient(new OpenAICompatibleChatClientOptions { Endpoint = _server.Endpoint, Model = "m", ApiKeyEnvironmentVariable = variable });
            await client.GetResponseAsync([new(ChatRole.User, "go")]);
            _server.Requests.Single().Headers["Authorization"].Should().Be("Bearer sk-from-environment-42");
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Fact]
    public void OpenAI_itself_needs_a_key()
    {
        var act = () => new OpenAICompatibleChatClient(new OpenAICompatibleChatClientOptions { Model = "gpt-4o", ApiKeyEnvironmentVariable = "AGENTREFINE_UNSET_VARIABLE" });
        act.Should().Throw<InvalidOperationException>().WithMessage("No API key: set OpenAICompatibleChatClientOptions.ApiKey or the AGENTREFINE_UNSET_VARIABLE environment variable.");
    }

    [Fact]
    public void Registration_as_default_or_per_role()
    {
        using var provider = new ServiceCollection()
            .AddAgentRefineOpenAI(o => { o.Endpoint = _server.Endpoint; o.Model = "default"; })
            .AddAgentRefineOpenAI(o => { o.Endpoint = _server.Endpoint; o.Model = "simulator"; }, AgentRefineChatRoles.Trajectory)
            .BuildServiceProvider();

        provider.GetRequiredService<IChatClient>().GetService<ChatClientMetadata>()!.DefaultModelId.Should().Be("default");
        provider.GetRequiredKeyedService<IChatClient>(AgentRefineChatRoles.Trajectory).GetService<ChatClientMetadata>()!.DefaultModelId.Should().Be("simulator");
    }
}
