namespace AgentRefine.Conversion;

/// <summary>Words of the shell commands printed for the user to run.</summary>
internal static class ShellText
{
    /// <summary>The word as is when it has only characters no POSIX shell treats specially, else single-quoted (<c>'</c> written as <c>'\''</c>).</summary>
    public static string Quote(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        return word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || "_./:=@%+,-".Contains(c, StringComparison.Ordinal))
            ? word
            : "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
    }
}
