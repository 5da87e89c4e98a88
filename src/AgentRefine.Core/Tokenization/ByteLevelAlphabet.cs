namespace AgentRefine.Tokenization;

/// <summary>
/// The byte-to-character table of byte-level BPE (GPT-2's <c>bytes_to_unicode</c>, used by every
/// Hugging Face <c>ByteLevel</c> tokenizer): printable Latin-1 bytes stand for themselves, the other
/// 68 bytes for U+0100 onwards in byte order. A <c>tokenizer.json</c> vocabulary spells token bytes
/// with these characters (a space is <c>Ġ</c>, a line feed <c>Ċ</c>).
/// </summary>
internal static class ByteLevelAlphabet
{
    private static readonly char[] ByteToChar = BuildTable();
    private static readonly Dictionary<char, byte> CharToByte = BuildReverse();

    /// <summary>The character that stands for <paramref name="value"/>.</summary>
    public static char ToChar(byte value) => ByteToChar[value];

    /// <summary>Turns a vocabulary entry back into its bytes.</summary>
    /// <param name="token">The entry, in the byte-level alphabet.</param>
    /// <param name="bytes">The bytes, on success.</param>
    /// <returns>Whether every character of <paramref name="token"/> belongs to the alphabet.</returns>
    public static bool TryGetBytes(string token, out byte[] bytes)
    {
        bytes = new byte[token.Length];
        for (var i = 0; i < token.Length; i++)
        {
            if (!CharToByte.TryGetValue(token[i], out bytes[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static char[] BuildTable()
    {
        var table = new char[256];
        var next = 256;
        for (var b = 0; b < 256; b++)
        {
            var printable = b is >= '!' and <= '~' or >= 0xA1 and <= 0xAC or >= 0xAE and <= 0xFF;
            table[b] = printable ? (char)b : (char)next++;
        }

        return table;
    }

    private static Dictionary<char, byte> BuildReverse()
    {
        var reverse = new Dictionary<char, byte>(256);
        for (var b = 0; b < 256; b++)
        {
            reverse[ByteToChar[b]] = (byte)b;
        }

        return reverse;
    }
}
