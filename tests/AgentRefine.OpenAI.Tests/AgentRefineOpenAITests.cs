using System.Text.Json;
using System.Text.Json.Nodes;
using AgentRefine.Testing;
using Microsoft.Extensions.AI;

namespace AgentRefine.OpenAI.Tests;

/// <summary>What reaches the server, and what comes back, through <see cref="AgentRefineOpenAI.CreateChatClient"/>.</summary>
public sealed class AgentRefineOpenAITests : IAsyncLifetime
{
    private const string Key = "sk-test-1234567890abcdef";
    private LoopbackOpenAIServer _server = null!;

    public async Task InitializeAsync() => _server = await LoopbackOpenAIServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private IChatClient Client(Action<AgentRefineOpenAIOptions>? configure = null, string? role = null)
    {
        var options = new AgentRefineOpenAIOptions { Endpoint = _server.Endpoint, Model = "llama-3-70b", ApiKey = Key };
        configure?.Invoke(options);
        return AgentRefineOpenAI.CreateChatClient(options, role);
    }

    private static readonly ChatMessage[] Conversation =
    [
        new(ChatRole.System, "You write scripts."),
        new(ChatRole.User, "Persona: a baker"),
        new(ChatRole.Assistant, "{\"Goal\": 1}"),
        new(ChatRole.User, "Fix it."),
    ];

    /// <summary>The text of a request message, whether the server got it as a string or as content parts.</summary>
    private static string Text(JsonNode message) => message["content"] switch
    {
        JsonArray parts => string.Concat(parts.Select(p => p!["text"]!.GetValue<string>())),
        var content => content!.GetValue<string>(),
    };

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
        headers["User-Agent"].Should().Contain("AgentRefine");
        body["model"]!.GetValue<string>().Should().Be("llama-3-70b");
        var messages = body["messages"]!.AsArray();
        messages.Select(m => m!["role"]!.GetValue<string>()).Should().Equal("system", "user", "assistant", "user");
        messages.Select(m => Text(m!)).Should().Equal("You write scripts.", "Persona: a baker", "{\"Goal\": 1}", "Fix it.");
        body["temperature"]!.GetValue<double>().Should().BeApproximately(0.7, 1e-6);
        body["top_p"]!.GetValue<double>().Should().BeApproximately(0.9, 1e-6);
        body["seed"]!.GetValue<long>().Should().Be(42);
        body["max_completion_tokens"]!.GetValue<int>().Should().Be(321);
        body["stop"]!.ToJsonString().Should().Be("[\"END\"]");
        body["response_format"]!.ToJsonString().Should().Be("{\"type\":\"json_object\"}");
        (body["stream"]?.GetValue<bool>() ?? false).Should().BeFalse();
    }

    [Fact]
    public async Task Instructions_reach_the_server_as_the_first_system_message()
    {
        _server.ReplyCompletion("{}");
        using var client = Client();

        await client.GetResponseAsync([new(ChatRole.User, "Persona: a baker")], new ChatOptions { Instructions = "You write scripts." });

        var messages = _server.Requests.Single().Body["messages"]!.AsArray();
        messages.Should().HaveCount(2);
        messages[0]!["role"]!.GetValue<string>().Should().Be("system");
        Text(messages[0]!).Should().Be("You write scripts.");
        Text(messages[1]!).Should().Be("Persona: a baker");
    }

    [Fact]
    public async Task A_json_schema_format_is_sent_as_given_with_strict_false()
    {
        _server.ReplyCompletion("{}");
        using var client = Client();
        // A map (additionalProperties as a schema), an optional property and minItems: OpenAI's strict-mode rewrite would change all three.
        var schema = JsonNode.Parse("""
            {"type":"object","properties":{"turns":{"type":"array","items":{"type":"string"},"minItems":1},
             "actions":{"type":"object","additionalProperties":{"type":"object","properties":{"description":{"type":"string"},"code":{"type":"string"}},"required":["code"]}}},
             "required":["turns"]}
            """)!;
        var options = new ChatOptions { Temperature = 0.5f, Seed = 3, MaxOutputTokens = 100, ResponseFormat = ChatResponseFormat.ForJsonSchema(JsonSerializer.SerializeToElement(schema), "agentrefine_trajectory", "turns") };

        await client.GetResponseAsync([new(ChatRole.User, "go")], options);

        var body = _server.Requests.Single().Body;
        var format = body["response_format"]!;
        format["type"]!.GetValue<string>().Should().Be("json_schema");
        format["json_schema"]!["name"]!.GetValue<string>().Should().Be("agentrefine_trajectory");
        format["json_schema"]!["description"]!.GetValue<string>().Should().Be("turns");
        format["json_schema"]!["strict"]!.GetValue<bool>().Should().BeFalse();
        JsonNode.DeepEquals(format["json_schema"]!["schema"], schema).Should().BeTrue(format.ToJsonString());
        body["temperature"]!.GetValue<double>().Should().BeApproximately(0.5, 1e-6);
        body["seed"]!.GetValue<long>().Should().Be(3);
        body["max_completion_tokens"]!.GetValue<int>().Should().Be(100);
        options.RawRepresentationFactory.Should().BeNull("the caller's options are not changed");
    }

    [Fact]
    public async Task The_request_model_can_be_overridden_per_call()
    {
        _server.ReplyCompletion("{}");
        using var client = Client();

        await client.GetResponseAsync([new(ChatRole.User, "go")], new ChatOptions { ModelId = "other-model" });

        _server.Requests.Single().Body["model"]!.GetValue<string>().Should().Be("other-model");
    }

    [Fact]
    public async Task Nothing_is_sent_that_the_request_did_not_set()
    {
        _server.ReplyCompletion("{}");
        using var client = Client();

        await client.GetResponseAsync([new(ChatRole.User, "go")]);

        var body = _server.Requests.Single().Body;
        body.Select(p => p.Key).Should().NotContain(["temperature", "top_p", "seed", "max_completion_tokens", "max_tokens", "stop", "response_format"]);
    }

    [Fact]
    public async Task AgentRefines_request_properties_stay_out_of_the_request()
    {
        _server.ReplyCompletion("{}");
        using var client = Client();

        await client.GetResponseAsync([new(ChatRole.User, "go")], new ChatOptions
        {
            AdditionalProperties = new() { [AgentRefine.Llm.LlmResponseProperties.Role] = "script", [AgentRefine.Llm.LlmResponseProperties.Attempt] = 2, [AgentRefine.Llm.LlmResponseProperties.RecordId] = "r-1" },
        });

        _server.Requests.Single().Body.Select(p => p.Key).Should().BeEquivalentTo(["model", "messages"]);
    }

    [Fact]
    public async Task The_response_maps_text_model_finish_reason_and_usage_with_cached_tokens()
    {
        _server.ReplyCompletion("{\"turns\": []}", model: "served-model-v2", finishReason: "length", input: 120, output: 4096, cachedInput: 64);
        using var client = Client();

        var response = await client.GetResponseAsync([new(ChatRole.User, "go")]);

        response.Text.Should().Be("{\"turns\": []}");
        response.ModelId.Should().Be("served-model-v2");
        response.FinishReason.Should().Be(ChatFinishReason.Length);
        response.ResponseId.Should().Be("chatcmpl-123");
        response.Usage!.InputTokenCount.Should().Be(120);
        response.Usage.OutputTokenCount.Should().Be(4096);
        response.Usage.TotalTokenCount.Should().Be(4216);
        response.Usage.CachedInputTokenCount.Should().Be(64);
    }

    [Fact]
    public async Task Streaming_yields_the_text_finish_reason_and_usage()
    {
        _server.ReplyStream(["{\"turns\"", ": []}"], model: "served-model-v2", input: 7, output: 5);
        using var client = Client();

        var updates = await client.GetStreamingResponseAsync([new(ChatRole.User, "go")]).ToListAsync();
        var response = updates.ToChatResponse();

        _server.Requests.Single().Body["stream"]!.GetValue<bool>().Should().BeTrue();
        response.Text.Should().Be("{\"turns\": []}");
        response.ModelId.Should().Be("served-model-v2");
        response.FinishReason.Should().Be(ChatFinishReason.Stop);
        response.Usage!.InputTokenCount.Should().Be(7);
        response.Usage.OutputTokenCount.Should().Be(5);
    }

    [Fact]
    public async Task A_role_gets_its_own_model_and_other_roles_the_default_one()
    {
        _server.ReplyCompletion("a");
        _server.ReplyCompletion("b");
        void Configure(AgentRefineOpenAIOptions o) => o.RoleModels[AgentRefine.Llm.AgentRefineChatRoles.Trajectory] = "simulator";

        using (var trajectory = Client(Configure, AgentRefine.Llm.AgentRefineChatRoles.Trajectory))
        {
            await trajectory.GetResponseAsync([new(ChatRole.User, "go")]);
        }

        using (var script = Client(Configure, AgentRefine.Llm.AgentRefineChatRoles.Script))
        {
            await script.GetResponseAsync([new(ChatRole.User, "go")]);
        }

        _server.Requests.Select(r => r.Body["model"]!.GetValue<string>()).Should().Equal("simulator", "llama-3-70b");
    }

    [Fact]
    public void The_metadata_names_the_provider_endpoint_and_model_for_the_response_cache()
    {
        using var client = Client();

        var metadata = client.GetService<ChatClientMetadata>()!;

        metadata.ProviderName.Should().NotBeNullOrEmpty();
        metadata.ProviderUri.Should().Be(_server.Endpoint);
        metadata.DefaultModelId.Should().Be("llama-3-70b");
        client.GetService<global::OpenAI.Chat.ChatClient>().Should().NotBeNull("the SDK client stays reachable for advanced use");
    }

    [Fact]
    public async Task The_organization_id_is_sent()
    {
        _server.ReplyCompletion("ok");
        using var client = Client(o => o.OrganizationId = "org-agentrefine");

        await client.GetResponseAsync([new(ChatRole.User, "go")]);

        _server.Requests.Single().Headers["OpenAI-Organization"].Should().Be("org-agentrefine");
    }

    [Fact]
    public async Task The_key_can_come_from_an_environment_variable()
    {
        const string variable = "AGENTREFINE_OPENAI_TEST_KEY";
        Environment.SetEnvironmentVariable(variable, "sk-from-environment-42");
        try
        {
            _server.ReplyCompletion("ok");
            using var client = Client(o => { o.ApiKey = null; o.ApiKeyEnvironmentVariable = variable; });
            await client.GetResponseAsync([new(ChatRole.User, "go")]);
            _server.Requests.Single().Headers["Authorization"].Should().Be("Bearer sk-from-environment-42");
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Fact]
    public async Task A_local_server_without_a_key_gets_a_placeholder()
    {
        _server.ReplyCompletion("ok");
        using var client = Client(o => { o.ApiKey = null; o.ApiKeyEnvironmentVariable = "AGENTREFINE_UNSET_VARIABLE"; });

        await client.GetResponseAsync([new(ChatRole.User, "go")]);

        _server.Requests.Single().Headers["Authorization"].Should().Be("Bearer no-key");
    }

    [Fact]
    public void OpenAI_itself_needs_a_key_and_the_message_says_where_to_put_it()
    {
        var act = () => AgentRefineOpenAI.CreateChatClient(new AgentRefineOpenAIOptions { Model = "gpt-4o", ApiKeyEnvironmentVariable = "AGENTREFINE_UNSET_VARIABLE" });

        var message = act.Should().Throw<InvalidOperationException>().Which.Message;
        message.Should().Contain("AGENTREFINE_UNSET_VARIABLE").And.Contain("ApiKey option").And.NotContain("AgentRefine.OpenAI.").And.NotContain("AgentRefineOpenAIOptions");
    }

    [Theory]
    [InlineData(null)]
    [InlineData(" ")]
    public void A_model_is_required(string? model)
    {
        var act = () => AgentRefineOpenAI.CreateChatClient(new AgentRefineOpenAIOptions { Endpoint = new Uri("http://localhost:8000/v1"), Model = model });
        act.Should().Throw<ArgumentException>().WithMessage("No model: set the Model option*");
    }

    [Fact]
    public void The_endpoint_must_be_an_http_address()
    {
        var act = () => AgentRefineOpenAI.CreateChatClient(new AgentRefineOpenAIOptions { Endpoint = new Uri("file:///tmp/x"), Model = "m" });
        act.Should().Throw<ArgumentException>().WithMessage("The Endpoint option must be an absolute http or https address*");
    }
}
