namespace AgentRefine.Llm;

/// <summary>
/// A model call failed in transport (HTTP status, network, timeout) rather than in content. Chat
/// clients throw it (or <see cref="HttpRequestException"/>) so that <see cref="ResilientChatClient"/>
/// can retry transient failures, honouring the server's <c>Retry-After</c>. Its message never
/// contains request headers or API keys.
/// </summary>
public sealed class LlmTransportException : Exception
{
    /// <summary>Creates an exception.</summary>
    public LlmTransportException()
    {
    }

    /// <summary>Creates an exception.</summary>
    /// <param name="message">The message.</param>
    public LlmTransportException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public LlmTransportException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception for an HTTP status.</summary>
    /// <param name="message">The message.</param>
    /// <param name="statusCode">The HTTP status, or <see langword="null"/> when no response arrived.</param>
    /// <param name="retryAfter">The delay the server asked for, if any.</param>
    /// <param name="innerException">The cause, if any.</param>
    public LlmTransportException(string message, int? statusCode, TimeSpan? retryAfter = null, Exception? innerException = null)
        : base(message, innerException)
    {
        StatusCode = statusCode;
        RetryAfter = retryAfter;
    }

    /// <summary>The HTTP status, or <see langword="null"/> when no response arrived (network failure, timeout).</summary>
    public int? StatusCode { get; }

    /// <summary>The delay the server asked for (<c>Retry-After</c>), if any.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>Whether retrying may succeed: no response, 408, 409, 429, or any 5xx.</summary>
    public bool IsTransient => StatusCode is null or 408 or 409 or 429 or >= 500;
}
