namespace AgentRefine.Llm;

/// <summary>Classifies failures of model calls.</summary>
public static class LlmErrors
{
    /// <summary>
    /// The default transient-failure test: <see cref="LlmTransportException.IsTransient"/>; an
    /// <see cref="HttpRequestException"/> without status or with 408/409/429/5xx; timeouts
    /// (<see cref="TimeoutException"/>, Polly's timeout, an HTTP client's own time-out cancellation);
    /// and <see cref="IOException"/>.
    /// </summary>
    /// <param name="exception">The failure.</param>
    /// <param name="cancellationToken">The caller's token: a cancellation the caller asked for is never transient.</param>
    /// <returns>Whether retrying may succeed.</returns>
    public static bool IsTransient(Exception exception, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception switch
        {
            LlmTransportException transport => transport.IsTransient,
            HttpRequestException http => http.StatusCode is null || (int)http.StatusCode.Value is 408 or 409 or 429 or >= 500,
            TimeoutException or Polly.Timeout.TimeoutRejectedException or IOException => true,
            OperationCanceledException => !cancellationToken.IsCancellationRequested,
            _ => false,
        };
    }

    /// <summary>
    /// Whether a failure should stop a whole run rather than spend one generation of one persona:
    /// authentication, permission and not-found answers (401, 403, 404) and failures that are not
    /// transport failures at all (programming errors). A caller's cancellation is not fatal.
    /// </summary>
    /// <param name="exception">The failure.</param>
    /// <param name="cancellationToken">The caller's token.</param>
    /// <returns>Whether the run should stop.</returns>
    public static bool IsFatal(Exception exception, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception switch
        {
            LlmTransportException transport => transport.IsUnrecoverable || transport.StatusCode is 401 or 403 or 404,
            HttpRequestException http => http.StatusCode is { } status && (int)status is 401 or 403 or 404,
            OperationCanceledException => false,
            _ => !IsTransient(exception, cancellationToken),
        };
    }

    /// <summary>
    /// A short label of a failure's kind, for summaries that group failures: <c>HTTP 503</c>,
    /// <c>unreachable</c>, <c>timeout</c>, or the exception's type name.
    /// </summary>
    /// <param name="exception">The failure.</param>
    /// <returns>The label.</returns>
    public static string Classify(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception switch
        {
            LlmTransportException { StatusCode: { } status } => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"HTTP {status}"),
            LlmTransportException { Kind: LlmFailureKind.Unreachable } => "unreachable",
            LlmTransportException { Kind: LlmFailureKind.Timeout } or TimeoutException or Polly.Timeout.TimeoutRejectedException => "timeout",
            HttpRequestException { StatusCode: { } status } => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"HTTP {(int)status}"),
            HttpRequestException => "unreachable",
            _ => exception.GetType().Name,
        };
    }
}
