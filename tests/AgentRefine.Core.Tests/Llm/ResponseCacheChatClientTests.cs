using AgentRefine.Core.Tests.Fakes;
using AgentRefine.Llm;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Distributed;

namespace AgentRefine.Core.Tests.Llm;

public sealed class ResponseCacheChatClientTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("agentrefine-cache-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private static ChatOptions Options(int attempt) => new() { Temperature = 1, AdditionalProperties = new() { [LlmResponseProperties.Attempt] = attempt } };

    private IDistributedCache Open() => ResponseCacheStorage.OpenSqlite(_folder);

    [Fact]
    public async Task A_finished_call_is_replayed_from_the_database_with_its_usage_and_no_retries()
    {
        var first = new ScriptedChatClient(new LlmTransportException("busy", 503), "the answer");
        using (var storage = (IDisposable)Open())
        using (var cache = new ChatClientBuilder(first).UseAgentRefineResponseCache((IDistributedCache)storage).UseAgentRefineResilience(new LlmResilienceOptions { BaseDelay = TimeSpan.Zero }).Build())
        {
            var fetched = await cache.GetResponseAsync([new(ChatRole.User, "q")], Options(1));
            fetched.Text.Should().Be("the answer");
            fetched.AdditionalProperties![LlmResponseProperties.Retries].Should().Be(1);
            fetched.AdditionalProperties.Should().NotContainKey(LlmResponseProperties.Cached);
        }

        var second = new ScriptedChatClient();
        using var reopened = (IDisposable)Open();
        using var replay = new ResponseCacheChatClient(second, (IDistributedCache)reopened);
        var response = await replay.GetResponseAsync([new(ChatRole.User, "q")], Options(1));

        response.Text.Should().Be("the answer");
        response.ModelId.Should().Be("scripted-model");
        response.FinishReason.Should().Be(ChatFinishReason.Stop);
        response.Usage!.OutputTokenCount.Should().Be(2);
        response.AdditionalProperties![LlmResponseProperties.Cached].Should().Be(true);
        LlmResponseProperties.GetInt32(response.AdditionalProperties, LlmResponseProperties.Retries).Should().Be(0, "the retries were paid by the first run");
        second.Requests.Should().BeEmpty();
        Directory.GetFiles(_folder).Select(Path.GetFileName).Should().Contain(ResponseCacheStorage.DatabaseFileName);
    }

    [Fact]
    public async Task Attempt_prompt_and_options_are_part_of_the_key()
    {
        var inner = new ScriptedChatClient("a", "b", "c", "d");
        using var storage = (IDisposable)Open();
        using var cache = new ResponseCacheChatClient(inner, (IDistributedCache)storage);
        await cache.GetResponseAsync([new(ChatRole.User, "q")], Options(1));
        await cache.GetResponseAsync([new(ChatRole.User, "q")], Options(2));
        await cache.GetResponseAsync([new(ChatRole.User, "other")], Options(1));
        await cache.GetResponseAsync([new(ChatRole.User, "q")], new ChatOptions { Temperature = 0.5f, AdditionalProperties = new() { [LlmResponseProperties.Attempt] = 1 } });
        (await cache.GetResponseAsync([new(ChatRole.User, "q")], Options(2))).Text.Should().Be("b");
        inner.Requests.Should().HaveCount(4);
    }

    [Fact]
    public async Task A_corrupt_entry_is_a_miss_and_is_replaced()
    {
        using var storage = (IDisposable)Open();
        var recording = new KeyRecordingCache((IDistributedCache)storage);
        using (var first = new ResponseCacheChatClient(new ScriptedChatClient("stale"), recording))
        {
            await first.GetResponseAsync([new(ChatRole.User, "q")], Options(1));
        }

        var key = recording.Keys.Should().ContainSingle().Subject;
        await recording.SetAsync(key, "{\"te"u8.ToArray());
        using var cache = new ResponseCacheChatClient(new ScriptedChatClient("fresh"), recording);

        (await cache.GetResponseAsync([new(ChatRole.User, "q")], Options(1))).Text.Should().Be("fresh");
        System.Text.Encoding.UTF8.GetString((await recording.GetAsync(key))!).Should().Contain("fresh");
    }

    [Fact]
    public async Task Another_model_or_endpoint_never_replays_this_models_answers()
    {
        using var storage = (IDisposable)Open();
        var store = (IDistributedCache)storage;
        using var first = new ResponseCacheChatClient(new IdentifiedClient("model-a", "http://127.0.0.1:9/v1", "first"), store);
        using var second = new ResponseCacheChatClient(new IdentifiedClient("model-b", "http://127.0.0.1:9/v1", "second"), store);
        using var third = new ResponseCacheChatClient(new IdentifiedClient("model-a", "http://127.0.0.1:10/v1", "third"), store);

        (await first.GetResponseAsync([new(ChatRole.User, "q")], Options(1))).Text.Should().Be("first");
        (await second.GetResponseAsync([new(ChatRole.User, "q")], Options(1))).Text.Should().Be("second");
        (await third.GetResponseAsync([new(ChatRole.User, "q")], Options(1))).Text.Should().Be("third");
    }

    [Fact]
    public async Task Concurrent_callers_share_one_database()
    {
        var inner = new EchoClient();
        using var storage = (IDisposable)Open();
        using var cache = new ResponseCacheChatClient(inner, (IDistributedCache)storage);

        var answers = await Task.WhenAll(Enumerable.Range(0, 64).Select(i => cache.GetResponseAsync([new(ChatRole.User, $"q{i % 16}")], Options(1))));
        var replays = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => cache.GetResponseAsync([new(ChatRole.User, $"q{i}")], Options(1))));

        answers.Select(a => a.Text).Should().OnlyContain(t => t.StartsWith("echo q", StringComparison.Ordinal));
        replays.Should().OnlyContain(r => LlmResponseProperties.GetBoolean(r.AdditionalProperties, LlmResponseProperties.Cached));
        replays.Select(r => r.Text).Should().Equal(Enumerable.Range(0, 16).Select(i => $"echo q{i}"));
    }

    [Fact]
    public void A_folder_that_cannot_be_created_is_named()
    {
        var file = Path.Combine(_folder, "a-file");
        File.WriteAllText(file, "x");
        var act = () => ResponseCacheStorage.OpenSqlite(Path.Combine(file, "cache"));
        act.Should().Throw<IOException>().WithMessage($"*{file}*");
    }

    private sealed class IdentifiedClient(string model, string endpoint, string answer) : DelegatingChatClient(new ScriptedChatClient(answer))
    {
        public override object? GetService(Type serviceType, object? serviceKey = null) =>
            serviceType == typeof(ChatClientMetadata) ? new ChatClientMetadata("test", new Uri(endpoint), model) : base.GetService(serviceType, serviceKey);
    }

    private sealed class KeyRecordingCache(IDistributedCache inner) : IDistributedCache
    {
        public List<string> Keys { get; } = [];

        public byte[]? Get(string key) => inner.Get(key);

        public Task<byte[]?> GetAsync(string key, CancellationToken token = default) => inner.GetAsync(key, token);

        public void Refresh(string key) => inner.Refresh(key);

        public Task RefreshAsync(string key, CancellationToken token = default) => inner.RefreshAsync(key, token);

        public void Remove(string key) => inner.Remove(key);

        public Task RemoveAsync(string key, CancellationToken token = default) => inner.RemoveAsync(key, token);

        public void Set(string key, byte[] value, DistributedCacheEntryOptions options) => inner.Set(key, value, options);

        public Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default)
        {
            if (!Keys.Contains(key))
            {
                Keys.Add(key);
            }

            return inner.SetAsync(key, value, options, token);
        }
    }

    private sealed class EchoClient : IChatClient
    {
        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            Task.FromResult(ScriptedChatClient.Respond("echo " + messages.Last().Text, "echo", messages));

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
