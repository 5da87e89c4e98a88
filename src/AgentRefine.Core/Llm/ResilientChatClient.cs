using System.Threading.RateLimiting;
using Microsoft.Extensions.AI;
using Polly;
using Polly.Retry;

namespace AgentRefine.Llm;

/// <summary>
/// Wraps a chat client with what a long synthesis run needs from the transport: rate limits in
/// requests and tokens per minute, a timeout per attempt, and bounded retries of transient failures
/// with exponential back-off and jitter that honour the server's <c>Retry-After</c>. Retries are not
/// generations: they never spend a persona's call budget. The number of retries a call needed is set
/// in <see cref="ChatResponse.AdditionalProperties"/> under <see cref="LlmResponseProperties.Retries"/>.
/// </summary>
public sealed class ResilientChatClient : DelegatingChatClient
{
    private readonly LlmResilienceOptions _options;
    private readonly ResiliencePipeline _pipeline;
    private readonly TokenBucketRateLimiter? _requests;
    private readonly TokenBucketRateLimiter? _tokens;
    private readonly TimeProvider _time;

    /// <summary>Creates the wrapper.</summary>
    /// <param name="innerClient">The client that talks to the model.</param>
    /// <param name="options">The settings; validated and copied.</param>
    /// <param name="timeProvider">The clock for delays and timeouts; the system clock when <see langword="null"/>.</param>
    public ResilientChatClient(IChatClient innerClient, LlmResilienceOptions? options = null, TimeProvider? timeProvider = null)
        : base(innerClient)
    {
        options ??= new LlmResilienceOptions();
        options.Validate();
        _options = new LlmResilienceOptions
        {
            MaxRetries = options.MaxRetries,
            BaseDelay = options.BaseDelay,
            MaxDelay = options.MaxDelay,
            CallTimeout = options.CallTimeout,
            RequestsPerMinute = options.RequestsPerMinute,
            TokensPerMinute = options.TokensPerMinute,
            IsTransient = options.IsTransient ?? LlmErrors.IsTransient,
        };
        var builder = new ResiliencePipelineBuilder { TimeProvider = timeProvider ?? TimeProvider.System };
        if (_options.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = _options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = _options.BaseDelay,
                MaxDelay = _options.MaxDelay,
                ShouldHandle = args => ValueTask.FromResult(
                    args.Outcome.Exception is { } exception && _options.IsTransient!(exception, args.Context.CancellationToken)),
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(
                    args.Outcome.Exception is LlmTransportException { RetryAfter: { } retryAfter }
                        ? TimeSpan.FromTicks(Math.Min(retryAfter.Ticks, _options.MaxDelay.Ticks))
                        : null),
            });
        }

        _pipeline = builder.Build();
        _time = timeProvider ?? TimeProvider.System;

        _requests = _options.RequestsPerMinute is { } rpm ? CreateLimiter(rpm) : null;
        _tokens = _options.TokensPerMinute is { } tpm ? CreateLimiter(tpm) : null;
    }

    /// <inheritdoc />
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var list = messages as IReadOnlyCollection<ChatMessage> ?? messages.ToList();
        var estimate = _tokens is null ? 0 : EstimateTokens(list, options);
        var attempts = 0;
        var response = await _pipeline.ExecuteAsync(
            async token =>
            {
                attempts++;

                // Waiting for a rate-limit permit is not part of the attempt's time budget.
                await AcquireAsync(estimate, token).ConfigureAwait(false);
                using var timeout = new CancellationTokenSource(_options.CallTimeout, _time);
                using var attempt = CancellationTokenSource.CreateLinkedTokenSource(token, timeout.Token);
                try
                {
                    return await base.GetResponseAsync(list, options, attempt.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException exception) when (!token.IsCancellationRequested)
                {
                    throw new TimeoutException($"The model did not answer within {_options.CallTimeout.TotalSeconds:0.###} s.", exception);
                }
            },
            cancellationToken).ConfigureAwait(false);
        (response.AdditionalProperties ??= [])[LlmResponseProperties.Retries] = attempts - 1;
        return response;
    }

    /// <inheritdoc />
    /// <remarks>Streaming is passed through with rate limiting but without retries (a partial stream cannot be replayed).</remarks>
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var list = messages as IReadOnlyCollection<ChatMessage> ?? messages.ToList();
        await AcquireAsync(_tokens is null ? 0 : EstimateTokens(list, options), cancellationToken).ConfigureAwait(false);
        await foreach (var update in base.GetStreamingResponseAsync(list, options, cancellationToken).ConfigureAwait(false))
        {
            yield return update;
        }
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _requests?.Dispose();
            _tokens?.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>The token estimate of a call: prompt characters / 4 plus the requested maximum output.</summary>
    internal static int EstimateTokens(IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        long characters = 0;
        foreach (var message in messages)
        {
            characters += message.Text?.Length ?? 0;
        }

        return (int)Math.Min(int.MaxValue, (characters / 4) + (options?.MaxOutputTokens ?? 0));
    }

    /// <summary>A token bucket holding one minute's budget, refilled smoothly (at most every 100 ms).</summary>
    private static TokenBucketRateLimiter CreateLimiter(int perMinute)
    {
        var period = TimeSpan.FromMilliseconds(Math.Max(100, 60_000.0 / perMinute));
        return new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = perMinute,
            TokensPerPeriod = Math.Max(1, (int)Math.Round(perMinute * period.TotalMilliseconds / 60_000.0)),
            ReplenishmentPeriod = period,
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            AutoReplenishment = true,
        });
    }

    private async ValueTask AcquireAsync(int estimatedTokens, CancellationToken cancellationToken)
    {
        if (_requests is not null)
        {
            using var lease = await _requests.AcquireAsync(1, cancellationToken).ConfigureAwait(false);
        }

        if (_tokens is not null && estimatedTokens > 0)
        {
            using var lease = await _tokens.AcquireAsync(Math.Min(estimatedTokens, _options.TokensPerMinute!.Value), cancellationToken).ConfigureAwait(false);
        }
    }
}
