using System.Threading.RateLimiting;
using Microsoft.Extensions.AI;

namespace AgentRefine.Llm;

/// <summary>
/// A budget of requests and tokens per minute shared by every chat pipeline that uses it (rate
/// limits belong to an API key, not to one role). Tokens are estimated before each attempt as the
/// prompt's characters / 4 plus the requested maximum output tokens. <c>AddAgentRefine</c> registers
/// one from <c>AgentRefineOptions.Synthesis.Resilience</c>; <see cref="RateLimitingChatClient"/> takes
/// permits from it.
/// </summary>
public sealed class ChatRateLimiter : IDisposable
{
    private readonly TokenBucketRateLimiter? _requests;
    private readonly TokenBucketRateLimiter? _tokens;
    private readonly int _tokensPerMinute;

    /// <summary>Creates the budget.</summary>
    /// <param name="requestsPerMinute">Requests per minute (every attempt counts); unlimited when <see langword="null"/>.</param>
    /// <param name="tokensPerMinute">Estimated tokens per minute; unlimited when <see langword="null"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">A limit is below 1.</exception>
    public ChatRateLimiter(int? requestsPerMinute, int? tokensPerMinute)
    {
        if (requestsPerMinute is { } rpm)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(rpm, 1, nameof(requestsPerMinute));
            _requests = CreateBucket(rpm);
        }

        if (tokensPerMinute is { } tpm)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(tpm, 1, nameof(tokensPerMinute));
            _tokens = CreateBucket(tpm);
            _tokensPerMinute = tpm;
        }

        RequestsPerMinute = requestsPerMinute;
        TokensPerMinute = tokensPerMinute;
    }

    /// <summary>The requests-per-minute limit, if any.</summary>
    public int? RequestsPerMinute { get; }

    /// <summary>The tokens-per-minute limit, if any.</summary>
    public int? TokensPerMinute { get; }

    /// <summary>Whether either limit is set.</summary>
    public bool IsLimited => _requests is not null || _tokens is not null;

    /// <summary>Waits for one request permit and the call's estimated tokens.</summary>
    /// <param name="messages">The call's messages.</param>
    /// <param name="options">The call's options (their maximum output tokens count).</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that completes when the call may go.</returns>
    public async ValueTask AcquireAsync(IEnumerable<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        if (_requests is not null)
        {
            using var lease = await _requests.AcquireAsync(1, cancellationToken).ConfigureAwait(false);
        }

        if (_tokens is not null && EstimateTokens(messages, options) is > 0 and var estimate)
        {
            using var lease = await _tokens.AcquireAsync(Math.Min(estimate, _tokensPerMinute), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _requests?.Dispose();
        _tokens?.Dispose();
    }

    /// <summary>The token estimate of a call: prompt characters / 4 plus the requested maximum output.</summary>
    internal static int EstimateTokens(IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        long characters = options?.Instructions?.Length ?? 0;
        foreach (var message in messages)
        {
            characters += message.Text?.Length ?? 0;
        }

        return (int)Math.Min(int.MaxValue, (characters / 4) + (options?.MaxOutputTokens ?? 0));
    }

    /// <summary>A token bucket holding one minute's budget, refilled smoothly (at most every 100 ms).</summary>
    private static TokenBucketRateLimiter CreateBucket(int perMinute)
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
}
