using System.Globalization;
using System.Text;

namespace AgentRefine.Tokenization;

/// <summary>
/// Rewrites a pre-tokenizer split pattern so that .NET's regular expressions, which match UTF-16 code
/// units, match it the way Hugging Face's (Oniguruma, one code point at a time) does. Without it a
/// character outside the Basic Multilingual Plane (an emoji, 𝐀, 𠀀) is two "characters" of category
/// Cs, so <c>\p{L}</c> misses 𝐀 and <c>[^\r\n\p{L}\p{N}]?</c> cannot take 🚀 before a word: the splits,
/// and so the tokens, differ. Every construct that matches one character (<c>\p{..}</c>, <c>\P{..}</c>,
/// <c>\s</c>, <c>\d</c>, <c>\w</c> and their negations, <c>[...]</c>, <c>.</c>) becomes a group that
/// matches one code point: its Basic Multilingual Plane part, or a surrogate pair of a code point the
/// construct holds. Other syntax is copied unchanged.
/// </summary>
internal static class CodePointPattern
{
    private const string Surrogates = @"\uD800-\uDFFF";
    private static readonly Lazy<UnicodeCategory[]> AstralCategories = new(() =>
    {
        var categories = new UnicodeCategory[0x100000];
        for (var i = 0; i < categories.Length; i++)
        {
            categories[i] = CharUnicodeInfo.GetUnicodeCategory(0x10000 + i);
        }

        return categories;
    });

    /// <summary>Rewrites <paramref name="pattern"/>.</summary>
    /// <exception cref="NotSupportedException">The pattern uses a construct this rewrite does not translate (named in the message).</exception>
    public static string Rewrite(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        var output = new StringBuilder(pattern.Length * 4);
        var i = 0;
        while (i < pattern.Length)
        {
            var c = pattern[i];
            if (c == '\\')
            {
                if (i + 1 >= pattern.Length)
                {
                    throw new NotSupportedException("the pattern ends with a lone backslash");
                }

                var escape = pattern[i + 1];
                if (escape is 'p' or 'P')
                {
                    var (item, length) = ReadCategory(pattern, i);
                    output.Append(OneCodePoint($"[{pattern.AsSpan(i, length)}-[{Surrogates}]]", negated: false, [item]));
                    i += length;
                    continue;
                }

                if (escape is 's' or 'S' or 'd' or 'D' or 'w' or 'W')
                {
                    output.Append(OneCodePoint($"[\\{escape}-[{Surrogates}]]", negated: false, [ClassItem.Shorthand(escape)]));
                    i += 2;
                    continue;
                }

                output.Append(c).Append(escape);
                i += 2;
                continue;
            }

            if (c == '[')
            {
                i = RewriteClass(pattern, i, output);
                continue;
            }

            if (c == '.')
            {
                output.Append(@"(?:[^\n\uD800-\uDFFF]|[\uD800-\uDBFF][\uDC00-\uDFFF])");
                i++;
                continue;
            }

            if (char.IsSurrogate(c))
            {
                throw new NotSupportedException("the pattern holds a character outside the Basic Multilingual Plane");
            }

            output.Append(c);
            i++;
        }

        return output.ToString();
    }

    private static int RewriteClass(string pattern, int start, StringBuilder output)
    {
        var i = start + 1;
        var negated = i < pattern.Length && pattern[i] == '^';
        if (negated)
        {
            i++;
        }

        var innerStart = i;
        var items = new List<ClassItem>();
        var first = true;
        while (true)
        {
            if (i >= pattern.Length)
            {
                throw new NotSupportedException($"the character class at offset {start} is not closed");
            }

            var c = pattern[i];
            if (c == ']' && !first)
            {
                break;
            }

            first = false;
            if (c == '[')
            {
                throw new NotSupportedException($"the character class at offset {start} nests a class (subtraction or a POSIX class)");
            }

            if (char.IsSurrogate(c))
            {
                throw new NotSupportedException("the pattern holds a character outside the Basic Multilingual Plane");
            }

            if (c == '\\' && i + 1 < pattern.Length && pattern[i + 1] is 'p' or 'P')
            {
                var (item, length) = ReadCategory(pattern, i);
                items.Add(item);
                i += length;
                continue;
            }

            if (c == '\\' && i + 1 < pattern.Length && pattern[i + 1] is 's' or 'S' or 'd' or 'D' or 'w' or 'W')
            {
                items.Add(ClassItem.Shorthand(pattern[i + 1]));
                i += 2;
                continue;
            }

            // A literal character, an escaped one, or a range of them: all in the Basic Multilingual Plane,
            // so none matches a surrogate pair; skip it (the class text is copied as it is).
            i += c == '\\' ? EscapeLength(pattern, i) : 1;
        }

        var inner = pattern[innerStart..i];
        if (inner.EndsWith('-'))
        {
            throw new NotSupportedException($"the character class at offset {start} ends with '-'");
        }

        var bmp = negated ? $"[^{inner}{Surrogates}]" : $"[{inner}-[{Surrogates}]]";
        output.Append(OneCodePoint(bmp, negated, items));
        return i + 1;
    }

    private static int EscapeLength(string pattern, int i)
    {
        if (i + 1 >= pattern.Length)
        {
            throw new NotSupportedException("the pattern ends with a lone backslash");
        }

        return pattern[i + 1] switch
        {
            'u' => 6,
            'x' => 4,
            'c' => 3,
            _ => 2,
        };
    }

    private static (ClassItem Item, int Length) ReadCategory(string pattern, int i)
    {
        var negated = pattern[i + 1] == 'P';
        if (i + 2 >= pattern.Length)
        {
            throw new NotSupportedException("the pattern ends inside a \\p escape");
        }

        string name;
        int length;
        if (pattern[i + 2] == '{')
        {
            var close = pattern.IndexOf('}', i + 3);
            if (close < 0)
            {
                throw new NotSupportedException($"the \\p escape at offset {i} is not closed");
            }

            name = pattern[(i + 3)..close];
            length = close - i + 1;
        }
        else
        {
            name = pattern[i + 2].ToString();
            length = 3;
        }

        return (ClassItem.Category(name, negated), length);
    }

    private static string OneCodePoint(string bmpClass, bool negated, IReadOnlyList<ClassItem> items)
    {
        var categories = AstralCategories.Value;
        var lows = new ulong[1024][];
        var any = false;
        for (var offset = 0; offset < categories.Length; offset++)
        {
            var holds = false;
            foreach (var item in items)
            {
                if (item.Holds(categories[offset]))
                {
                    holds = true;
                    break;
                }
            }

            if (holds != negated)
            {
                var high = offset >> 10;
                var low = offset & 0x3FF;
                (lows[high] ??= new ulong[16])[low >> 6] |= 1UL << (low & 63);
                any = true;
            }
        }

        if (!any)
        {
            return bmpClass;
        }

        var alternatives = new StringBuilder("(?:").Append(bmpClass);
        var h = 0;
        while (h < 1024)
        {
            if (lows[h] is null)
            {
                h++;
                continue;
            }

            var end = h;
            while (end + 1 < 1024 && lows[end + 1] is { } next && next.AsSpan().SequenceEqual(lows[h]))
            {
                end++;
            }

            alternatives.Append('|');
            AppendRange(alternatives, 0xD800 + h, 0xD800 + end);
            AppendLowClass(alternatives, lows[h]);
            h = end + 1;
        }

        return alternatives.Append(')').ToString();
    }

    private static void AppendRange(StringBuilder builder, int first, int last)
    {
        builder.Append('[').Append(CultureInfo.InvariantCulture, $"\\u{first:X4}");
        if (last != first)
        {
            builder.Append(CultureInfo.InvariantCulture, $"-\\u{last:X4}");
        }

        builder.Append(']');
    }

    private static void AppendLowClass(StringBuilder builder, ulong[] bits)
    {
        builder.Append('[');
        var low = 0;
        while (low < 1024)
        {
            if ((bits[low >> 6] & (1UL << (low & 63))) == 0)
            {
                low++;
                continue;
            }

            var end = low;
            while (end + 1 < 1024 && (bits[(end + 1) >> 6] & (1UL << ((end + 1) & 63))) != 0)
            {
                end++;
            }

            builder.Append(CultureInfo.InvariantCulture, $"\\u{0xDC00 + low:X4}");
            if (end != low)
            {
                builder.Append(CultureInfo.InvariantCulture, $"-\\u{0xDC00 + end:X4}");
            }

            low = end + 1;
        }

        builder.Append(']');
    }

    /// <summary>One member of a class, judged by the Unicode category of a code point outside the Basic Multilingual Plane.</summary>
    private sealed class ClassItem
    {
        private readonly Func<UnicodeCategory, bool> _holds;

        private ClassItem(Func<UnicodeCategory, bool> holds) => _holds = holds;

        public bool Holds(UnicodeCategory category) => _holds(category);

        public static ClassItem Shorthand(char escape) => escape switch
        {
            // No whitespace character lies outside the Basic Multilingual Plane.
            's' => new(_ => false),
            'S' => new(_ => true),
            'd' => new(c => c == UnicodeCategory.DecimalDigitNumber),
            'D' => new(c => c != UnicodeCategory.DecimalDigitNumber),
            'w' => new(IsWord),
            'W' => new(c => !IsWord(c)),
            _ => throw new NotSupportedException($"\\{escape}"),
        };

        public static ClassItem Category(string name, bool negated)
        {
            var set = Categories(name);
            return new(c => set.Contains(c) != negated);
        }

        // .NET's \w: letters, non-spacing marks, decimal digits and connector punctuation.
        private static bool IsWord(UnicodeCategory c) => c is UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter
            or UnicodeCategory.TitlecaseLetter or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter
            or UnicodeCategory.NonSpacingMark or UnicodeCategory.DecimalDigitNumber or UnicodeCategory.ConnectorPunctuation;

        private static HashSet<UnicodeCategory> Categories(string name)
        {
            UnicodeCategory[] all = Enum.GetValues<UnicodeCategory>();
            var codes = all.ToDictionary(Code, c => c, StringComparer.Ordinal);
            if (codes.TryGetValue(name, out var one))
            {
                return [one];
            }

            if (name.Length == 1 && all.Any(c => Code(c)[0] == name[0]))
            {
                return [.. all.Where(c => Code(c)[0] == name[0])];
            }

            throw new NotSupportedException($"the Unicode property \\p{{{name}}} (only general categories such as L, Lu, N, Nd, P, S, Z are translated)");
        }

        private static string Code(UnicodeCategory category) => category switch
        {
            UnicodeCategory.UppercaseLetter => "Lu",
            UnicodeCategory.LowercaseLetter => "Ll",
            UnicodeCategory.TitlecaseLetter => "Lt",
            UnicodeCategory.ModifierLetter => "Lm",
            UnicodeCategory.OtherLetter => "Lo",
            UnicodeCategory.NonSpacingMark => "Mn",
            UnicodeCategory.SpacingCombiningMark => "Mc",
            UnicodeCategory.EnclosingMark => "Me",
            UnicodeCategory.DecimalDigitNumber => "Nd",
            UnicodeCategory.LetterNumber => "Nl",
            UnicodeCategory.OtherNumber => "No",
            UnicodeCategory.SpaceSeparator => "Zs",
            UnicodeCategory.LineSeparator => "Zl",
            UnicodeCategory.ParagraphSeparator => "Zp",
            UnicodeCategory.Control => "Cc",
            UnicodeCategory.Format => "Cf",
            UnicodeCategory.Surrogate => "Cs",
            UnicodeCategory.PrivateUse => "Co",
            UnicodeCategory.ConnectorPunctuation => "Pc",
            UnicodeCategory.DashPunctuation => "Pd",
            UnicodeCategory.OpenPunctuation => "Ps",
            UnicodeCategory.ClosePunctuation => "Pe",
            UnicodeCategory.InitialQuotePunctuation => "Pi",
            UnicodeCategory.FinalQuotePunctuation => "Pf",
            UnicodeCategory.OtherPunctuation => "Po",
            UnicodeCategory.MathSymbol => "Sm",
            UnicodeCategory.CurrencySymbol => "Sc",
            UnicodeCategory.ModifierSymbol => "Sk",
            UnicodeCategory.OtherSymbol => "So",
            _ => "Cn",
        };
    }
}
