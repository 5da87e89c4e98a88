namespace AgentRefine.Tokenization;

/// <summary>
/// Python's <c>str.strip()</c>, which Jinja's <c>trim</c> filter calls: it removes the characters
/// Python counts as whitespace, which are .NET's <see cref="char.IsWhiteSpace(char)"/> set plus the
/// four separators U+001C–U+001F (U+0085 and U+00A0 are in both; U+200B and U+FEFF in neither).
/// </summary>
internal static class PythonWhitespace
{
    /// <summary>Whether Python's <c>str.isspace()</c> holds for <paramref name="c"/>.</summary>
    public static bool IsWhiteSpace(char c) => char.IsWhiteSpace(c) || c is >= '\u001C' and <= '\u001F';

    /// <summary>Removes leading and trailing Python whitespace.</summary>
    public static string Trim(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var start = 0;
        var end = text.Length;
        while (start < end && IsWhiteSpace(text[start]))
        {
            start++;
        }

        while (end > start && IsWhiteSpace(text[end - 1]))
        {
            end--;
        }

        return start == 0 && end == text.Length ? text : text[start..end];
    }
}
