namespace AgentRefine.Verification;

/// <summary>Formats values from model output inside verification messages, bounded in length.</summary>
internal static class MessageText
{
    private const int MaxQuotedLength = 120;

    /// <summary>The value in double quotes, cut to 120 characters (the full length is then given).</summary>
    public static string Quote(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Length <= MaxQuotedLength
            ? $"\"{value}\""
            : $"\"{value.AsSpan(0, MaxQuotedLength)}…\" ({value.Length:N0} characters)";
    }
}
