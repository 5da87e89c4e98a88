namespace AgentRefine.Llm;

/// <summary>
/// A model call failed in transport (HTTP status, network, timeout) rather than in content. Chat
/// clients throw it (or <see cref="HttpRequestException"/>) so that <see cref="ResilientChatClient"/>
/// can retry transient failures, honouring the server's <c>Retry-After</c>. Its message never
/// contains request headers or API keys.
/// </summary>
public sealed class LlmTransportException : Exception
{
    private readonly LlmFailureKind? _kind;

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

    /// <summary>
    /// What kind of failure this is; by default <see cref="LlmFailureKind.HttpStatus"/> when there is a
    /// <see cref="StatusCode"/>, else <see cref="LlmFailureKind.Other"/>. Chat clients set
    /// <see cref="LlmFailureKind.Unreachable"/> and <see cref="LlmFailureKind.Timeout"/>.
    /// </summary>
    public LlmFailureKind Kind
    {
        get => _kind ?? (StatusCode is null ? LlmFailureKind.Other : LlmFailureKind.HttpStatus);
        init => _kind = value;
    }

    /// <summary>
    /// Whether the failure is known to be beyond retrying even without a fatal status (for example, a
    /// server that could not be reached before any call to it succeeded). Such a failure stops a run.
    /// </summary>
    public bool IsUnrecoverable { get; init; }

    /// <summary>Whether retrying may succeed: no response, 408, 409, 429, or any 5xx, unless <see cref="IsUnrecoverable"/>.</summary>
    public bool IsTransient => !IsUnrecoverable && (StatusCode is null or 408 or 409 or 429 or >= 500);
}
