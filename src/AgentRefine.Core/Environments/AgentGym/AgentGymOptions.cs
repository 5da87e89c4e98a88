namespace AgentRefine.Environments;

/// <summary>Settings of an <see cref="AgentGymEnvironment"/>.</summary>
public sealed class AgentGymOptions
{
    /// <summary>The server's base address, e.g. <c>http://127.0.0.1:36001</c>. Required.</summary>
    public Uri? Server { get; set; }

    /// <summary>
    /// The environment family the server runs: one of <see cref="AgentGymEnvironment.KnownEnvironments"/>
    /// (its protocol variant, instruction, action clean-up and success rule), or any other name for a
    /// server that speaks the common protocol (see <c>docs/evaluation.md</c>). Required.
    /// </summary>
    public string? Environment { get; set; }

    /// <summary>The time one request may take. Default 2 minutes (AgentGym's own clients allow 5).</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>The time to open a connection: a server that is not running is named within it. Default 5 seconds.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Retries of a request that failed transiently (HTTP 5xx, 408, 429, a timeout, a dropped connection once the server has answered). Default 3.</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>The delay before the first retry; each later one doubles it. Default 500 ms.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The largest response body read, in bytes; a larger one is an error. Default 8 MiB.</summary>
    public int MaxResponseBytes { get; set; } = 8 << 20;

    /// <summary>A copy.</summary>
    /// <returns>The copy.</returns>
    public AgentGymOptions Clone() => (AgentGymOptions)MemberwiseClone();

    /// <summary>Checks the settings.</summary>
    /// <exception cref="ArgumentException">A setting is missing or out of range; the message names it.</exception>
    public void Validate()
    {
        if (Server is null || !Server.IsAbsoluteUri || Server.Scheme is not ("http" or "https"))
        {
            throw new ArgumentException($"{nameof(Server)} must be an absolute http or https address, found '{Server}'.", nameof(Server));
        }

        if (string.IsNullOrWhiteSpace(Environment))
        {
            throw new ArgumentException($"{nameof(Environment)} must name the environment family (for example {string.Join(", ", AgentGymEnvironment.KnownEnvironments)}).", nameof(Environment));
        }

        if (RequestTimeout <= TimeSpan.Zero || ConnectTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException($"{nameof(RequestTimeout)} and {nameof(ConnectTimeout)} must be positive.", nameof(RequestTimeout));
        }

        if (MaxRetries < 0 || RetryDelay < TimeSpan.Zero)
        {
            throw new ArgumentException($"{nameof(MaxRetries)} and {nameof(RetryDelay)} must not be negative.", nameof(MaxRetries));
        }

        if (MaxResponseBytes < 1024)
        {
            throw new ArgumentException($"{nameof(MaxResponseBytes)} must be at least 1024, found {MaxResponseBytes}.", nameof(MaxResponseBytes));
        }
    }
}
