namespace AgentRefine.Tokenization;

/// <summary>UTF-16 validity: Hugging Face's tokenizers (Rust strings) cannot hold a lone surrogate.</summary>
internal static class Utf16
{
    /// <summary>The index of the first lone surrogate in <paramref name="text"/>, or -1.</summary>
    public static int FirstInvalidIndex(ReadOnlySpan<char> text)
    {
        var i = text.IndexOfAnyInRange('\uD800', '\uDFFF');
        while (i >= 0 && i < text.Length)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i += 2;
                var next = text[i..].IndexOfAnyInRange('\uD800', '\uDFFF');
                i = next < 0 ? -1 : i + next;
                continue;
            }

            return i;
        }

        return -1;
    }
}
