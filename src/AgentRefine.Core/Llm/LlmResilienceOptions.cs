namespace AgentRefine.Llm;

/// <summary>Settings of <see cref="ResilientChatClient"/>: retries, per-call timeout, rate limits.</summary>
public sealed class LlmResilienceOptions
{
    /// <summary>Most retries of one call after transient failures (not counted as generations). Default 6.</summary>
    public int MaxRetries { get; set; } = 6;

    /// <summary>The first retry's delay; later ones grow exponentially, with jitter. Default 1 s.</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest delay between retries, <c>Retry-After</c> included. Default 60 s.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long one attempt may take, once it has its rate-limit permits, before it is abandoned and retried. Default 180 s.</summary>
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(180);

    /// <summary>Requests per minute across all callers of this client (every attempt counts); unlimited when <see langword="null"/>.</summary>
    public int? RequestsPerMinute { get; set; }

    /// <summary>
    /// Tokens per minute across all callers of this client, estimated before each attempt as the
    /// prompt's characters / 4 plus the requested maximum output tokens; unlimited when <see langword="null"/>.
    /// </summary>
    public int? TokensPerMinute { get; set; }

    /// <summary>Decides which failures are retried; <see cref="LlmErrors.IsTransient"/> when <see langword="null"/>.</summary>
    public Func<Exception, CancellationToken, bool>? IsTransient { get; set; }

    /// <summary>
    /// Whether a server that cannot be reached (<see cref="LlmFailureKind.Unreachable"/>: connection
    /// refused, host not found, TLS failure) before any call through the client has succeeded stops the
    /// run at once instead of being retried: retrying is for faults during a run, not for a server that is
    /// not there or an endpoint that is wrong. Default <see langword="true"/>.
    /// </summary>
    public bool FailFastWhenUnreachable { get; set; } = true;

    /// <summary>
    /// Called before each retry with the failure, the number of the attempt that failed (1-based) and the
    /// delay before the next one; for progress displays. Must not throw. None when <see langword="null"/>.
    /// </summary>
    public Action<Exception, int, TimeSpan>? OnRetry { get; set; }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(MaxRetries, nameof(MaxRetries));
        ArgumentOutOfRangeException.ThrowIfLessThan(BaseDelay, TimeSpan.Zero, nameof(BaseDelay));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxDelay, BaseDelay, nameof(MaxDelay));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(CallTimeout, TimeSpan.Zero, nameof(CallTimeout));
        if (RequestsPerMinute is { } rpm)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(rpm, 1, nameof(RequestsPerMinute));
        }

        if (TokensPerMinute is { } tpm)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(tpm, 1, nameof(TokensPerMinute));
        }
    }
}
