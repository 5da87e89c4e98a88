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
    /// Whether every episode would fail the same way: the environment cannot be reached at all
    /// (connection refused, host not found) before it ever answered, or the model it depends on (a
    /// Dungeon Master's) refuses the key or the model or cannot be reached. A run stops at once.
    /// </summary>
    public bool IsFatal { get; init; }
}
