namespace AgentRefine.Environments;

/// <summary>An environment could not start an episode or answer an action; the message says why (never a secret).</summary>
public sealed class AgentEnvironmentException : Exception
{
    /// <summary>Creates the exception.</summary>
    public AgentEnvironmentException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed.</param>
    public AgentEnvironmentException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="innerException">The cause.</param>
    public AgentEnvironmentException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>
    /// Whether the environment cannot be reached at all (connection refused, host not found) before it
    /// ever answered: a run stops at once instead of failing every episode the same way.
    /// </summary>
    public bool IsUnreachable { get; init; }
}
