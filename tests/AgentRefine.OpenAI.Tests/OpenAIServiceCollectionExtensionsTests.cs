using AgentRefine.Llm;
using AgentRefine.Testing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace AgentRefine.OpenAI.Tests;

public sealed class OpenAIServiceCollectionExtensionsTests : IAsyncLifetime
{
    private LoopbackOpenAIServer _server = null!;

    public async Task InitializeAsync() => _server = await LoopbackOpenAIServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task The_default_client_and_one_keyed_client_per_role_model_are_registered()
    {
        var services = new ServiceCollection();
        services.AddAgentRefineOpenAI(o =>
        {
            o.Endpoint = _server.Endpoint;
            o.Model = "default";
            o.RoleModels[AgentRefineChatRoles.Trajectory] = "simulator";
        });
        using var provider = services.BuildServiceProvider();

        var defaultClient = provider.GetRequiredService<IChatClient>();
        var trajectory = provider.GetRequiredKeyedService<IChatClient>(AgentRefineChatRoles.Trajectory);

        defaultClient.GetService<ChatClientMetadata>()!.DefaultModelId.Should().Be("default");
        defaultClient.GetService<ChatClientMetadata>()!.ProviderUri.Should().Be(_server.Endpoint);
        trajectory.GetService<ChatClientMetadata>()!.DefaultModelId.Should().Be("simulator");
        provider.GetKeyedService<IChatClient>(AgentRefineChatRoles.Script).Should().BeNull("a role without its own model uses the default client");
        _server.ReplyCompletion("ok");
        await trajectory.GetResponseAsync([new(ChatRole.User, "go")]);
        _server.Requests.Single().Body["model"]!.GetValue<string>().Should().Be("simulator");
    }

    [Fact]
    public async Task The_pipeline_callback_builds_every_client_so_role_clients_retry_too()
    {
        var services = new ServiceCollection().AddAgentRefine(o => o.Synthesis.Resilience!.BaseDelay = TimeSpan.Zero);
        services.AddAgentRefineOpenAI(
            o =>
            {
                o.Endpoint = _server.Endpoint;
                o.Model = "default";
                o.RoleModels[AgentRefineChatRoles.Trajectory] = "simulator";
            },
            pipeline => pipeline.UseAgentRefine());
        using var provider = services.BuildServiceProvider();
        var trajectory = provider.GetRequiredKeyedService<IChatClient>(AgentRefineChatRoles.Trajectory);
        _server.ReplyError(429, "slow down", ("Retry-After", "0"));
        _server.ReplyCompletion("ok");

        var response = await trajectory.GetResponseAsync([new(ChatRole.User, "go")]);

        response.Text.Should().Be("ok");
        response.AdditionalProperties![LlmResponseProperties.Retries].Should().Be(1);
        provider.GetRequiredService<IChatClient>().GetService<ResilientChatClient>().Should().NotBeNull();
        trajectory.GetService<ResilientChatClient>().Should().NotBeNull();
    }

    [Fact]
    public async Task The_returned_builder_adds_middleware_around_the_default_client()
    {
        var seen = new List<string>();
        var services = new ServiceCollection();
        services.AddAgentRefineOpenAI(o => { o.Endpoint = _server.Endpoint; o.Model = "default"; })
            .Use(async (messages, options, next, cancellationToken) =>
            {
                seen.Add("middleware");
                await next(messages, options, cancellationToken);
            });
        using var provider = services.BuildServiceProvider();
        _server.ReplyCompletion("ok");

        var response = await provider.GetRequiredService<IChatClient>().GetResponseAsync([new(ChatRole.User, "go")]);

        response.Text.Should().Be("ok");
        seen.Should().Equal("middleware");
    }

    [Fact]
    public void A_missing_key_for_OpenAI_fails_when_the_client_is_resolved_with_a_clear_message()
    {
        var services = new ServiceCollection();
        services.AddAgentRefineOpenAI(o => { o.Model = "gpt-4o"; o.ApiKeyEnvironmentVariable = "AGENTREFINE_UNSET_VARIABLE"; });
        using var provider = services.BuildServiceProvider();

        var act = () => provider.GetRequiredService<IChatClient>();

        act.Should().Throw<InvalidOperationException>().Which.Message.Should().Contain("AGENTREFINE_UNSET_VARIABLE").And.Contain("ApiKey");
    }

    [Fact]
    public void The_key_is_read_when_the_client_is_resolved()
    {
        const string variable = "AGENTREFINE_OPENAI_LATE_KEY";
        var services = new ServiceCollection();
        services.AddAgentRefineOpenAI(o => { o.Model = "gpt-4o"; o.ApiKeyEnvironmentVariable = variable; });
        Environment.SetEnvironmentVariable(variable, "sk-late-0123456789");
        try
        {
            using var provider = services.BuildServiceProvider();
            provider.GetRequiredService<IChatClient>().GetService<ChatClientMetadata>()!.DefaultModelId.Should().Be("gpt-4o");
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Fact]
    public void A_missing_model_fails_at_registration()
    {
        var act = () => new ServiceCollection().AddAgentRefineOpenAI(o => o.Endpoint = _server.Endpoint);
        act.Should().Throw<ArgumentException>().WithMessage("No model: set the Model option*");

        var role = () => new ServiceCollection().AddAgentRefineOpenAI(o => { o.Model = "m"; o.RoleModels[AgentRefineChatRoles.Script] = " "; });
        role.Should().Throw<ArgumentException>().WithMessage("The model of the 'script' role is empty*");
    }
}
