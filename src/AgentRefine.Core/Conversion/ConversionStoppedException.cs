namespace AgentRefine.Conversion;

/// <summary>A conversion stopped at a record it could not convert, because <see cref="ConversionOptions.StopOnFirstSkip"/> is set.</summary>
public sealed class ConversionStoppedException : Exception
{
    /// <summary>Creates an exception.</summary>
    public ConversionStoppedException()
    {
    }

    /// <summary>Creates an exception.</summary>
    /// <param name="message">The message.</param>
    public ConversionStoppedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public ConversionStoppedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception for a skipped record.</summary>
    /// <param name="outcome">The record's outcome.</param>
    public ConversionStoppedException(ConversionOutcome outcome)
        : base(outcome?.Message)
    {
        Outcome = outcome;
    }

    /// <summary>The record that stopped the conversion.</summary>
    public ConversionOutcome? Outcome { get; }
}
