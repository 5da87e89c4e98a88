using AgentRefine.Core.Tests.Fakes;
using AgentRefine.Llm;
using Microsoft.Extensions.AI;

namespace AgentRefine.Core.Tests.Llm;

public class ResilientChatClientTests
{
    private static readonly ChatMessage[] Prompt = [new(ChatRole.User, "hello")];

    [Fact]
    public async Task Transient_failures_are_retried_and_counted()
    {
        var inner = new ScriptedChatClient(new LlmTransportException("busy", 503), new HttpRequestException("reset"), "ok");
        var time = new RecordingTimeProvider();
        using var client = new ResilientChatClient(inner, new LlmResilienceOptions { BaseDelay = TimeSpan.FromSeconds(2), MaxDelay = TimeSpan.FromSeconds(30) }, time);

        var response = await client.GetResponseAsync(Prompt);

        response.Text.Should().Be("ok");
        response.AdditionalProperties![LlmResponseProperties.Retries].Should().Be(2);
        inner.Requests.Should().HaveCount(3);
        time.Delays.Should().HaveCount(2);
        time.Delays.Should().OnlyContain(d => d > TimeSpan.Zero && d <= TimeSpan.FromSeconds(30), "exponential back-off with jitter, capped");
    }

    [Fact]
    public async Task Retry_after_is_honoured()
    {
        var inner = new ScriptedChatClient(new LlmTransportException("Too Many Requests", 429, TimeSpan.FromSeconds(7)), "ok");
        var time = new RecordingTimeProvider();
        using var client = new ResilientChatClient(inner, new LlmResilienceOptions { BaseDelay = TimeSpan.FromSeconds(1) }, time);

        await client.GetResponseAsync(Prompt);

        time.Delays.Should().Equal(TimeSpan.FromSeconds(7));
    }

    [Fact]
    public async Task Retry_after_is_capped_by_the_maximum_delay()
    {
        var inner = new ScriptedChatClient(new LlmTransportException("Too Many Requests", 429, TimeSpan.FromMinutes(5)), "ok");
        var time = new RecordingTimeProvider();
        using var client = new ResilientChatClient(inner, new LlmResilienceOptions { MaxDelay = TimeSpan.FromSeconds(20) }, time);

        await client.GetResponseAsync(Prompt);

        time.Delays.Should().Equal(TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task Retries_are_bounded()
    {
        var inner = new ScriptedChatClient(Enumerable.Range(0, 5).Select(_ => (object)new LlmTransportException("down", 502)).ToArray());
        using var client = new ResilientChatClient(inner, new LlmResilienceOptions { MaxRetries = 3 }, new RecordingTimeProvider());

        var act = () => client.GetResponseAsync(Prompt);

        await act.Should().ThrowAsync<LlmTransportException>().WithMessage("down");
        inner.Requests.Should().HaveCount(4);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(404)]
    public async Task Non_transient_statuses_are_not_retried(int status)
    {
        var inner = new ScriptedChatClient(new LlmTransportException("no", status), "ok");
        using var client = new ResilientChatClient(inner, timeProvider: new RecordingTimeProvider());

        var act = () => client.GetResponseAsync(Prompt);

        await act.Should().ThrowAsync<LlmTransportException>();
        inner.Requests.Should().ContainSingle();
    }

    [Fact]
    public async Task A_stalled_attempt_times_out_and_is_retried()
    {
        var inner = new StallingOnceClient();
        using var client = new ChatClientBuilder(inner)
            .UseAgentRefineResilience(new LlmResilienceOptions { BaseDelay = TimeSpan.Zero })
            .UseAgentRefineCallTimeout(TimeSpan.FromMilliseconds(50))
            .Build();

        var response = await client.GetResponseAsync(Prompt);

        response.Text.Should().Be("late but fine");
        inner.Attempts.Should().Be(2);
    }

    [Fact]
    public async Task The_callers_cancellation_is_not_retried()
    {
        var inner = new StallingOnceClient();
        using var client = new ChatClientBuilder(inner).UseAgentRefineResilience(new LlmResilienceOptions()).UseAgentRefineCallTimeout(TimeSpan.FromSeconds(30)).Build();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(20));

        var act = () => client.GetResponseAsync(Prompt, cancellationToken: cancel.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
        inner.Attempts.Should().Be(1);
    }

    [Fact]
    public void Token_estimates_count_prompt_characters_and_the_output_budget()
    {
        ChatRateLimiter.EstimateTokens([new(ChatRole.System, new string('x', 400)), new(ChatRole.User, "abcd")], new ChatOptions { MaxOutputTokens = 50 }).Should().Be(151);
    }

    [Theory]
    [InlineData(429, true)]
    [InlineData(408, true)]
    [InlineData(500, true)]
    [InlineData(503, true)]
    [InlineData(400, false)]
    [InlineData(401, false)]
    public void Transient_classification_of_statuses(int status, bool transient)
    {
        LlmErrors.IsTransient(new LlmTransportException("x", status)).Should().Be(transient);
        LlmErrors.IsTransient(new HttpRequestException("x", null, (System.Net.HttpStatusCode)status)).Should().Be(transient);
    }

    [Fact]
    public void Fatal_classification()
    {
        LlmErrors.IsFatal(new LlmTransportException("x", 401)).Should().BeTrue();
        LlmErrors.IsFatal(new LlmTransportException("x", 400)).Should().BeFalse("a bad request spends one generation");
        LlmErrors.IsFatal(new LlmTransportException("x", 503)).Should().BeFalse();
        LlmErrors.IsFatal(new InvalidOperationException("bug")).Should().BeTrue();
        LlmErrors.IsFatal(new TimeoutException()).Should().BeFalse();
    }

    [Fact]
    public void Options_are_validated()
    {
        var act = () => new ResilientChatClient(new ScriptedChatClient(), new LlmResilienceOptions { RequestsPerMinute = 0 });
        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("RequestsPerMinute");
        var limiter = () => new ChatRateLimiter(null, 0);
        limiter.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("tokensPerMinute");
    }

    [Theory]
    [InlineData(401)]
    [InlineData(403)]
    [InlineData(404)]
    public async Task A_fatal_answer_opens_the_circuit_so_later_calls_fail_at_once(int status)
    {
        var inner = new ScriptedChatClient(new LlmTransportException($"answered {status}", status), "never asked");
        using var client = new ResilientChatClient(inner, timeProvider: new RecordingTimeProvider());

        var first = () => client.GetResponseAsync(Prompt);
        await first.Should().ThrowAsync<LlmTransportException>().WithMessage($"answered {status}");
        client.IsCircuitOpen.Should().BeTrue();

        var second = () => client.GetResponseAsync(Prompt);
        (await second.Should().ThrowAsync<LlmTransportException>()).Which.StatusCode.Should().Be(status);
        inner.Requests.Should().ContainSingle("the second call never reached the server");
    }

    private static LlmTransportException Unreachable() => new("The model server 127.0.0.1:9 could not be reached: connection refused", statusCode: null) { Kind = LlmFailureKind.Unreachable };

    [Fact]
    public async Task A_server_that_was_never_reached_is_not_retried_and_stops_the_run()
    {
        var inner = new ScriptedChatClient(Unreachable(), "never asked");
        using var client = new ResilientChatClient(inner, timeProvider: new RecordingTimeProvider());

        var act = () => client.GetResponseAsync(Prompt);

        var thrown = (await act.Should().ThrowAsync<LlmTransportException>()).Which;
        thrown.IsUnrecoverable.Should().BeTrue();
        thrown.Kind.Should().Be(LlmFailureKind.Unreachable);
        thrown.Message.Should().Be("The model server 127.0.0.1:9 could not be reached: connection refused No call to this server has succeeded yet, so it is taken to be down or the endpoint to be wrong; not retrying.");
        LlmErrors.IsFatal(thrown).Should().BeTrue();
        LlmErrors.IsTransient(thrown).Should().BeFalse();
        inner.Requests.Should().ContainSingle();
        client.IsCircuitOpen.Should().BeTrue();
    }

    [Fact]
    public async Task Once_a_call_succeeded_an_unreachable_server_is_a_transient_fault_and_retried()
    {
        var inner = new ScriptedChatClient("first", Unreachable(), Unreachable(), "back");
        var retries = new List<(string Kind, int Attempt)>();
        using var client = new ResilientChatClient(inner, new LlmResilienceOptions { OnRetry = (e, attempt, _) => retries.Add((LlmErrors.Classify(e), attempt)) }, new RecordingTimeProvider());

        (await client.GetResponseAsync(Prompt)).Text.Should().Be("first");
        var response = await client.GetResponseAsync(Prompt);

        response.Text.Should().Be("back");
        response.AdditionalProperties![LlmResponseProperties.Retries].Should().Be(2);
        retries.Should().Equal(("unreachable", 1), ("unreachable", 2));
    }

    [Fact]
    public async Task Fail_fast_can_be_turned_off()
    {
        var inner = new ScriptedChatClient(Unreachable(), "ok");
        using var client = new ResilientChatClient(inner, new LlmResilienceOptions { FailFastWhenUnreachable = false }, new RecordingTimeProvider());

        (await client.GetResponseAsync(Prompt)).Text.Should().Be("ok");
    }

    [Fact]
    public async Task A_call_that_fails_after_its_retries_reports_how_many_it_made()
    {
        var inner = new ScriptedChatClient(new LlmTransportException("busy", 503), new LlmTransportException("busy", 503), new LlmTransportException("still busy", 503));
        using var client = new ResilientChatClient(inner, new LlmResilienceOptions { MaxRetries = 2 }, new RecordingTimeProvider());

        var act = () => client.GetResponseAsync(Prompt);

        (await act.Should().ThrowAsync<LlmTransportException>().WithMessage("still busy")).Which.Data[LlmResponseProperties.Retries].Should().Be(2);
    }

    [Theory]
    [InlineData(503, "HTTP 503")]
    [InlineData(null, "other")]
    public void Failures_are_classified_for_summaries(int? status, string kind)
    {
        LlmErrors.Classify(new LlmTransportException("x", status)).Should().Be(kind == "other" ? "LlmTransportException" : kind);
        LlmErrors.Classify(Unreachable()).Should().Be("unreachable");
        LlmErrors.Classify(new LlmTransportException("x", statusCode: null) { Kind = LlmFailureKind.Timeout }).Should().Be("timeout");
        LlmErrors.Classify(new TimeoutException()).Should().Be("timeout");
    }

    [Fact]
    public async Task A_bad_request_spends_one_call_but_does_not_open_the_circuit()
    {
        var inner = new ScriptedChatClient(new LlmTransportException("bad request", 400), "ok");
        using var client = new ResilientChatClient(inner, timeProvider: new RecordingTimeProvider());

        var first = () => client.GetResponseAsync(Prompt);
        await first.Should().ThrowAsync<LlmTransportException>();
        client.IsCircuitOpen.Should().BeFalse();
        (await client.GetResponseAsync(Prompt)).Text.Should().Be("ok");
    }

    private sealed class StallingOnceClient : IChatClient
    {
        private int _attempts;

        public int Attempts => _attempts;

        public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            if (Interlocked.Increment(ref _attempts) == 1)
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
            }

            return new ChatResponse(new ChatMessage(ChatRole.Assistant, "late but fine"));
        }

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
