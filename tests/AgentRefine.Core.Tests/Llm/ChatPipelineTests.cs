using System.Diagnostics;
using AgentRefine.Core.Tests.Fakes;
using AgentRefine.Diagnostics;
using AgentRefine.Llm;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace AgentRefine.Core.Tests.Llm;

/// <summary>The order and effect of the stages <c>UseAgentRefine()</c> adds.</summary>
[Collection(TelemetryTests.Name)]
public sealed class ChatPipelineTests : IDisposable
{
    private static readonly ChatMessage[] Prompt = [new(ChatRole.User, "the secret persona text")];
    private readonly string _cache = Directory.CreateTempSubdirectory("agentrefine-pipeline-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_cache, recursive: true);
    }

    private static ServiceProvider Build(IChatClient model, Action<AgentRefineOptions>? configure = null)
    {
        var services = new ServiceCollection().AddAgentRefine(o =>
        {
            o.Synthesis.Resilience!.BaseDelay = TimeSpan.Zero;
            o.Synthesis.Resilience.MaxDelay = TimeSpan.Zero;
            configure?.Invoke(o);
        });
        services.AddChatClient(model).UseAgentRefine();
        return services.BuildServiceProvider();
    }

    [Fact]
    public async Task Retries_happen_inside_one_model_call_span_without_prompt_text()
    {
        var spans = new List<Activity>();
        using var tracing = Sdk.CreateTracerProviderBuilder().AddSource(AgentRefineTelemetry.Name).AddInMemoryExporter(spans).Build();
        var model = new ScriptedChatClient(new LlmTransportException("busy", 503), new LlmTransportException("busy", 429), "ok");
        await using var provider = Build(model);

        var response = await provider.GetRequiredService<IChatClient>().GetResponseAsync(Prompt, new ChatOptions { ModelId = "m1" });
        tracing.ForceFlush();

        response.Text.Should().Be("ok");
        response.AdditionalProperties![LlmResponseProperties.Retries].Should().Be(2);
        model.Requests.Should().HaveCount(3);
        var span = spans.Should().ContainSingle(s => s.OperationName.StartsWith("chat", StringComparison.Ordinal)).Subject;
        span.Status.Should().NotBe(ActivityStatusCode.Error);
        span.GetTagItem("gen_ai.request.model").Should().Be("m1");
        span.GetTagItem("gen_ai.usage.output_tokens").Should().NotBeNull();
        string.Join("|", span.TagObjects.Select(t => t.Value?.ToString())).Should().NotContain("secret persona", "prompts stay out of traces by default");
    }

    [Fact]
    public async Task Sensitive_data_puts_the_prompt_in_the_span_only_when_enabled()
    {
        var spans = new List<Activity>();
        using var tracing = Sdk.CreateTracerProviderBuilder().AddSource(AgentRefineTelemetry.Name).AddInMemoryExporter(spans).Build();
        await using var provider = Build(new ScriptedChatClient("ok"), o => o.Telemetry.EnableSensitiveData = true);

        await provider.GetRequiredService<IChatClient>().GetResponseAsync(Prompt);
        tracing.ForceFlush();

        var span = spans.Should().ContainSingle(s => s.OperationName.StartsWith("chat", StringComparison.Ordinal)).Subject;
        string.Join("|", span.TagObjects.Select(t => t.Value?.ToString())).Should().Contain("the secret persona text");
    }

    [Fact]
    public async Task A_cache_hit_skips_the_rate_limiter_and_the_model()
    {
        var model = new ScriptedChatClient("first answer", "second answer");
        await using var provider = Build(model, o =>
        {
            o.Synthesis.CacheDirectory = _cache;
            o.Synthesis.Resilience!.RequestsPerMinute = 1; // one permit, the next one a minute later
        });
        var client = provider.GetRequiredService<IChatClient>();
        client.GetService<RateLimitingChatClient>()!.Limiter.Should().BeSameAs(provider.GetRequiredService<ChatRateLimiter>());

        (await client.GetResponseAsync(Prompt)).Text.Should().Be("first answer");
        using var quickly = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var replay = await client.GetResponseAsync(Prompt, cancellationToken: quickly.Token);

        replay.Text.Should().Be("first answer");
        LlmResponseProperties.GetBoolean(replay.AdditionalProperties, LlmResponseProperties.Cached).Should().BeTrue();
        model.Requests.Should().ContainSingle();

        // A miss does wait for the limiter: the minute's only permit is spent.
        using var briefly = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var miss = () => client.GetResponseAsync([new(ChatRole.User, "another prompt")], cancellationToken: briefly.Token);
        await miss.Should().ThrowAsync<OperationCanceledException>();
        model.Requests.Should().ContainSingle();
    }

    [Fact]
    public async Task A_stalled_call_times_out_after_its_permit_and_is_retried()
    {
        var model = new StallOnceClient();
        await using var provider = Build(model, o => o.Synthesis.Resilience!.CallTimeout = TimeSpan.FromMilliseconds(100));

        var response = await provider.GetRequiredService<IChatClient>().GetResponseAsync(Prompt);

        response.Text.Should().Be("second try");
        response.AdditionalProperties![LlmResponseProperties.Retries].Should().Be(1);
    }

    [Fact]
    public async Task Resilience_off_leaves_only_the_stages_that_are_configured()
    {
        await using var provider = Build(new ScriptedChatClient("ok"), o => o.Synthesis.Resilience = null);
        var client = provider.GetRequiredService<IChatClient>();

        client.GetService<ResilientChatClient>().Should().BeNull();
        client.GetService<CallTimeoutChatClient>().Should().BeNull();
        client.GetService<RateLimitingChatClient>().Should().BeNull();
        client.GetService<ResponseCacheChatClient>().Should().BeNull("no cache folder is set");
        client.GetService<OpenTelemetryChatClient>().Should().NotBeNull();
        (await client.GetResponseAsync(Prompt)).Text.Should().Be("ok");
    }

    private sealed class StallOnceClient : IChatClient
    {
        private int _calls;

        public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            if (Interlocked.Increment(ref _calls) == 1)
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
            }

            return new ChatResponse(new ChatMessage(ChatRole.Assistant, "second try"));
        }

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
