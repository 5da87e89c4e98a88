namespace AgentRefine.Conversion;

/// <summary>A conversation breaks a rule of the dataset format it was to be written in.</summary>
public sealed class DatasetFormatException : Exception
{
    /// <summary>Creates an exception.</summary>
    public DatasetFormatException()
    {
    }

    /// <summary>Creates an exception.</summary>
    /// <param name="message">The message, naming the conversation and the rule.</param>
    public DatasetFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public DatasetFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
