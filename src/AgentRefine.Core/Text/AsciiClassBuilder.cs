using System.Text.RegularExpressions;

namespace AgentRefine.Text;

/// <summary>
/// A set of ASCII characters being built for an <see cref="AsciiPattern"/>. The shorthand classes
/// (<c>\d \w \s</c>) are read from .NET's own engine once, so they agree with it by construction.
/// </summary>
internal sealed class AsciiClassBuilder
{
    private static readonly (ulong Low, ulong High) Digits = FromEngine(@"\d");
    private static readonly (ulong Low, ulong High) WordCharacters = FromEngine(@"\w");
    private static readonly (ulong Low, ulong High) WhiteSpace = FromEngine(@"\s");

    private ulong _low;
    private ulong _high;

    /// <summary>Whether the class is negated (<c>[^…]</c>).</summary>
    public bool Negated { get; set; }

    /// <summary>Whether <paramref name="c"/> (ASCII) is a word character for <c>\b</c>.</summary>
    public static bool IsWordCharacter(char c) => Contains(WordCharacters, c);

    /// <summary><c>.</c>: every character but <c>\n</c>.</summary>
    public static AsciiClassBuilder AnyButNewline()
    {
        var builder = new AsciiClassBuilder { Negated = true };
        builder.AddRange('\n', '\n');
        return builder;
    }

    /// <summary>One of <c>\d \D \w \W \s \S</c>.</summary>
    public static AsciiClassBuilder Shorthand(char name)
    {
        var (low, high) = char.ToLowerInvariant(name) switch
        {
            'd' => Digits,
            'w' => WordCharacters,
            _ => WhiteSpace,
        };
        return new AsciiClassBuilder { _low = low, _high = high, Negated = char.IsUpper(name) };
    }

    /// <summary>Adds the characters from <paramref name="first"/> to <paramref name="last"/> (ASCII).</summary>
    public void AddRange(char first, char last)
    {
        for (var c = first; c <= last; c++)
        {
            Set(ref _low, ref _high, c);
        }
    }

    /// <summary>Adds the members of another class (a shorthand inside brackets).</summary>
    public void Add(AsciiClassBuilder other)
    {
        var (low, high) = other.Build(ignoreCase: false);
        _low |= low;
        _high |= high;
    }

    /// <summary>The members over ASCII: with <paramref name="ignoreCase"/>, each letter's other case is added before any negation, as .NET does.</summary>
    public (ulong Low, ulong High) Build(bool ignoreCase)
    {
        var (low, high) = (_low, _high);
        if (ignoreCase)
        {
            for (var c = 'a'; c <= 'z'; c++)
            {
                var upper = (char)(c - 32);
                if (Contains((low, high), c) || Contains((low, high), upper))
                {
                    Set(ref low, ref high, c);
                    Set(ref low, ref high, upper);
                }
            }
        }

        return Negated ? (~low, ~high) : (low, high);
    }

    /// <summary>Whether an ASCII character is in a built set.</summary>
    public static bool Contains((ulong Low, ulong High) set, char c) =>
        c < 64 ? (set.Low & (1UL << c)) != 0 : (set.High & (1UL << (c - 64))) != 0;

    private static void Set(ref ulong low, ref ulong high, char c)
    {
        if (c < 64)
        {
            low |= 1UL << c;
        }
        else
        {
            high |= 1UL << (c - 64);
        }
    }

    private static (ulong Low, ulong High) FromEngine(string shorthand)
    {
        var regex = new Regex(shorthand, RegexOptions.CultureInvariant);
        ulong low = 0, high = 0;
        for (var c = '\0'; c < 128; c++)
        {
            if (regex.IsMatch(c.ToString()))
            {
                Set(ref low, ref high, c);
            }
        }

        return (low, high);
    }
}
