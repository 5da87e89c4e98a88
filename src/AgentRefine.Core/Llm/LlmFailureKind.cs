namespace AgentRefine.Llm;

/// <summary>What kind of transport failure a <see cref="LlmTransportException"/> reports.</summary>
public enum LlmFailureKind
{
    /// <summary>Not classified further (the default for failures without an HTTP status).</summary>
    Other,

    /// <summary>The server answered with an HTTP error status (<see cref="LlmTransportException.StatusCode"/>).</summary>
    HttpStatus,

    /// <summary>No connection could be made: refused, host not found, TLS failure. A server that is not there.</summary>
    Unreachable,

    /// <summary>A connection was made but no answer came in time.</summary>
    Timeout,
}
