using AgentRefine.Core.Tests.Fakes;
using AgentRefine.Llm;
using Microsoft.Extensions.AI;

namespace AgentRefine.Core.Tests.Llm;

public sealed class ResponseCacheChatClientTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("agentrefine-cache-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static ChatOptions Options(int attempt) => new() { Temperature = 1, AdditionalProperties = new() { [LlmResponseProperties.Attempt] = attempt } };

    [Fact]
    public async Task A_finished_call_is_replayed_from_disk_with_its_usage()
    {
        var first = new ScriptedChatClient("the answer");
        using (var cache = new ResponseCacheChatClient(first, _folder))
        {
            (await cache.GetResponseAsync([new(ChatRole.User, "q")], Options(1))).Text.Should().Be("the answer");
        }

        var second = new ScriptedChatClient();
        using var replay = new ResponseCacheChatClient(second, _folder);
        var response = await replay.GetResponseAsync([new(ChatRole.User, "q")], Options(1));

        response.Text.Should().Be("the answer");
        response.ModelId.Should().Be("scripted-model");
        response.Usage!.OutputTokenCount.Should().Be(2);
        response.AdditionalProperties![LlmResponseProperties.Cached].Should().Be(true);
        second.Requests.Should().BeEmpty();
        Directory.GetFiles(_folder).Should().ContainSingle().Which.Should().EndWith(".json");
    }

    [Fact]
    public async Task Attempt_prompt_and_options_are_part_of_the_key()
    {
        var inner = new ScriptedChatClient("a", "b", "c", "d");
        using var cache = new ResponseCacheChatClient(inner, _folder);
        await cache.GetResponseAsync([new(ChatRole.User, "q")], Options(1));
        await cache.GetResponseAsync([new(ChatRole.User, "q")], Options(2));
        await cache.GetResponseAsync([new(ChatRole.User, "other")], Options(1));
        await cache.GetResponseAsync([new(ChatRole.User, "q")], new ChatOptions { Temperature = 0.5f, AdditionalProperties = new() { [LlmResponseProperties.Attempt] = 1 } });
        (await cache.GetResponseAsync([new(ChatRole.User, "q")], Options(2))).Text.Should().Be("b");
        inner.Requests.Should().HaveCount(4);
    }

    [Fact]
    public async Task A_corrupt_entry_is_a_miss()
    {
        var key = ResponseCacheChatClient.ComputeKey([new(ChatRole.User, "q")], Options(1));
        await File.WriteAllTextAsync(Path.Combine(_folder, key + ".json"), "{\"te");
        var inner = new ScriptedChatClient("fresh");
        using var cache = new ResponseCacheChatClient(inner, _folder);
        (await cache.GetResponseAsync([new(ChatRole.User, "q")], Options(1))).Text.Should().Be("fresh");
        File.ReadAllText(Path.Combine(_folder, key + ".json")).Should().Contain("\"text\":\"fresh\"");
    }

    [Fact]
    public async Task Another_model_never_replays_this_models_answers()
    {
        using (var first = new ResponseCacheChatClient(new IdentifiedClient("model-a", "first"), _folder))
        {
            (await first.GetResponseAsync([new(ChatRole.User, "q")], Options(1))).Text.Should().Be("first");
        }

        using var second = new ResponseCacheChatClient(new IdentifiedClient("model-b", "second"), _folder);
        (await second.GetResponseAsync([new(ChatRole.User, "q")], Options(1))).Text.Should().Be("second");
        Directory.GetFiles(_folder).Should().HaveCount(2);
    }

    private sealed class IdentifiedClient(string model, string answer) : DelegatingChatClient(new ScriptedChatClient(answer))
    {
        public override object? GetService(Type serviceType, object? serviceKey = null) =>
            serviceType == typeof(ChatClientMetadata) ? new ChatClientMetadata("test", new Uri("http://127.0.0.1:9/v1"), model) : base.GetService(serviceType, serviceKey);
    }

    [Fact]
    public void Keys_are_stable_hex_hashes()
    {
        var key = ResponseCacheChatClient.ComputeKey([new(ChatRole.System, "s"), new(ChatRole.User, "u")], Options(3));
        key.Should().MatchRegex("^[0-9a-f]{64}$");
        ResponseCacheChatClient.ComputeKey([new(ChatRole.System, "s"), new(ChatRole.User, "u")], Options(3)).Should().Be(key);
        ResponseCacheChatClient.ComputeKey([new(ChatRole.User, "s"), new(ChatRole.User, "u")], Options(3)).Should().NotBe(key, "the role is part of the key");
    }
}
