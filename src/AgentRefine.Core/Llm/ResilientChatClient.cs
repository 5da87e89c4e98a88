using System.Runtime.ExceptionServices;
using Microsoft.Extensions.AI;
using Polly;
using Polly.Retry;

namespace AgentRefine.Llm;

/// <summary>
/// Retries transient failures of model calls (no response, timeouts, 408, 409, 429, 5xx) with
/// exponential back-off and jitter, honouring the server's <c>Retry-After</c> (capped by
/// <see cref="LlmResilienceOptions.MaxDelay"/>). Retries are not generations: they never spend a
/// persona's call budget. The number of retries a call needed is set in
/// <see cref="ChatResponse.AdditionalProperties"/> under <see cref="LlmResponseProperties.Retries"/>.
/// A failure that retrying cannot fix (401, 403, 404: see <see cref="LlmErrors.IsFatal"/>) is not
/// retried, and it opens the circuit: every later call through this client fails at once with the
/// same error instead of asking a server that has already refused the key or the model.
/// </summary>
/// <remarks>
/// Add it with <see cref="ResilienceChatClientBuilderExtensions.UseAgentRefineResilience"/>. Place it
/// inside the telemetry stage (one span per logical call, its retries inside it) and outside the
/// rate-limit and timeout stages (every attempt takes a permit and gets its own time budget).
/// </remarks>
public sealed class ResilientChatClient : DelegatingChatClient
{
    private readonly ResiliencePipeline _pipeline;
    private readonly Func<Exception, CancellationToken, bool> _isTransient;
    private readonly bool _failFastWhenUnreachable;
    private ExceptionDispatchInfo? _fatal;
    private int _succeeded;

    /// <summary>Creates the stage.</summary>
    /// <param name="innerClient">The next stage.</param>
    /// <param name="options">The retry settings (<see cref="LlmResilienceOptions.MaxRetries"/>, delays, <see cref="LlmResilienceOptions.IsTransient"/>); validated. Defaults when <see langword="null"/>.</param>
    /// <param name="timeProvider">The clock for back-off delays; the system clock when <see langword="null"/>.</param>
    public ResilientChatClient(IChatClient innerClient, LlmResilienceOptions? options = null, TimeProvider? timeProvider = null)
        : base(innerClient)
    {
        options ??= new LlmResilienceOptions();
        options.Validate();
        var isTransient = options.IsTransient ?? LlmErrors.IsTransient;
        var maxDelay = options.MaxDelay;
        var onRetry = options.OnRetry;
        _isTransient = isTransient;
        _failFastWhenUnreachable = options.FailFastWhenUnreachable;
        var builder = new ResiliencePipelineBuilder { TimeProvider = timeProvider ?? TimeProvider.System };
        if (options.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.BaseDelay,
                MaxDelay = maxDelay,
                ShouldHandle = args => ValueTask.FromResult(
                    args.Outcome.Exception is { } exception
                    && !IsUnreachableBeforeAnySuccess(exception)
                    && isTransient(exception, args.Context.CancellationToken)),
                OnRetry = args =>
                {
                    if (onRetry is not null && args.Outcome.Exception is { } failure)
                    {
                        onRetry(failure, args.AttemptNumber + 1, args.RetryDelay);
                    }

                    return ValueTask.CompletedTask;
                },
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(
                    args.Outcome.Exception is LlmTransportException { RetryAfter: { } retryAfter }
                        ? TimeSpan.FromTicks(Math.Min(retryAfter.Ticks, maxDelay.Ticks))
                        : null),
            });
        }

        _pipeline = builder.Build();
    }

    /// <summary>Whether a fatal answer (401, 403, 404) has opened the circuit, so that every call now fails at once.</summary>
    public bool IsCircuitOpen => Volatile.Read(ref _fatal) is not null;

    /// <inheritdoc />
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        Volatile.Read(ref _fatal)?.Throw();
        var list = messages as IReadOnlyCollection<ChatMessage> ?? messages.ToList();
        var attempts = 0;
        try
        {
            var response = await _pipeline.ExecuteAsync(
                async token =>
                {
                    attempts++;
                    return await base.GetResponseAsync(list, options, token).ConfigureAwait(false);
                },
                cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _succeeded, 1);
            (response.AdditionalProperties ??= [])[LlmResponseProperties.Retries] = attempts - 1;
            return response;
        }
        catch (LlmTransportException exception) when (!cancellationToken.IsCancellationRequested && IsUnreachableBeforeAnySuccess(exception))
        {
            var stop = new LlmTransportException(
                exception.Message + " No call to this server has succeeded yet, so it is taken to be down or the endpoint to be wrong; not retrying.",
                exception.StatusCode,
                exception.RetryAfter,
                exception)
            {
                Kind = LlmFailureKind.Unreachable,
                IsUnrecoverable = true,
            };
            Interlocked.CompareExchange(ref _fatal, ExceptionDispatchInfo.Capture(stop), null);
            throw stop;
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested && IsCircuitBreaking(exception, cancellationToken))
        {
            Interlocked.CompareExchange(ref _fatal, ExceptionDispatchInfo.Capture(exception), null);
            throw;
        }
        catch (Exception exception) when (attempts > 1)
        {
            // Failed calls report their retries too, so a run's summary counts every retry it paid for.
            exception.Data[LlmResponseProperties.Retries] = attempts - 1;
            throw;
        }
    }

    /// <inheritdoc />
    /// <remarks>Streaming is passed through without retries (a partial stream cannot be replayed); a fatal answer still opens the circuit.</remarks>
    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        Volatile.Read(ref _fatal)?.Throw();
        return base.GetStreamingResponseAsync(messages, options, cancellationToken);
    }

    private bool IsUnreachableBeforeAnySuccess(Exception exception) =>
        _failFastWhenUnreachable
        && exception is LlmTransportException { Kind: LlmFailureKind.Unreachable, IsUnrecoverable: false }
        && Volatile.Read(ref _succeeded) == 0;

    private bool IsCircuitBreaking(Exception exception, CancellationToken cancellationToken) =>
        exception is LlmTransportException or HttpRequestException
        && !_isTransient(exception, cancellationToken)
        && LlmErrors.IsFatal(exception, cancellationToken);
}
