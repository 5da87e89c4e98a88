namespace AgentRefine.Text;

/// <summary>
/// Parses the <see cref="AsciiPattern"/> subset into a tree; returns <see langword="null"/> at the
/// first construct outside it. Deliberately strict: a construct .NET reads in a surprising way (a
/// literal <c>]</c> or <c>}</c>, a <c>{</c> that is no quantifier, an escape that names a word
/// character) is left to .NET's engine rather than imitated.
/// </summary>
internal sealed class AsciiPatternParser
{
    private const int MaxDepth = 32;
    private readonly string _pattern;
    private int _position;
    private int _depth;

    public AsciiPatternParser(string pattern) => _pattern = pattern;

    /// <summary>The number of unnamed capturing groups.</summary>
    public int UnnamedGroups { get; private set; }

    /// <summary>The names of the named groups, in order of appearance (distinct).</summary>
    public List<string> Names { get; } = [];

    /// <summary>Whether the pattern starts with <c>(?i)</c>.</summary>
    public bool IgnoreCase { get; private set; }

    /// <summary>Parses the whole pattern.</summary>
    public Node? Parse()
    {
        if (_pattern.StartsWith("(?i)", StringComparison.Ordinal))
        {
            IgnoreCase = true;
            _position = 4;
        }

        var tree = ParseAlternation();
        return _position == _pattern.Length ? tree : null;
    }

    private char? Peek => _position < _pattern.Length ? _pattern[_position] : null;

    private Node? ParseAlternation()
    {
        if (++_depth > MaxDepth)
        {
            return null;
        }

        var branches = new List<Node>();
        while (true)
        {
            var branch = ParseConcatenation();
            if (branch is null)
            {
                return null;
            }

            branches.Add(branch);
            if (Peek != '|')
            {
                break;
            }

            _position++;
        }

        _depth--;
        return branches.Count == 1 ? branches[0] : new Node.Alternation(branches);
    }

    private Node? ParseConcatenation()
    {
        var items = new List<Node>();
        while (Peek is { } c && c != '|' && c != ')')
        {
            var atom = ParseAtom();
            if (atom is null)
            {
                return null;
            }

            if (Peek is '*' or '+' or '?' or '{')
            {
                if (atom is Node.Assertion || !TryParseQuantifier(out var min, out var max, out var lazy))
                {
                    return null;
                }

                atom = new Node.Repeat(atom, min, max, lazy);
            }

            items.Add(atom);
        }

        // An empty branch ("a|", "()") is left to the engine.
        return items.Count switch
        {
            0 => null,
            1 => items[0],
            _ => new Node.Concatenation(items),
        };
    }

    private bool TryParseQuantifier(out int min, out int max, out bool lazy)
    {
        min = 0;
        max = -1;
        lazy = false;
        switch (_pattern[_position++])
        {
            case '*':
                break;
            case '+':
                min = 1;
                break;
            case '?':
                max = 1;
                break;
            default:
                if (!TryParseNumber(out min))
                {
                    return false;
                }

                max = min;
                if (Peek == ',')
                {
                    _position++;
                    max = Peek == '}' ? -1 : TryParseNumber(out var upper) ? upper : -2;
                    if (max == -2 || (max >= 0 && max < min))
                    {
                        return false;
                    }
                }

                if (Peek != '}')
                {
                    return false;
                }

                _position++;
                break;
        }

        if (Peek == '?')
        {
            lazy = true;
            _position++;
        }

        // A quantifier on a quantifier is a .NET error; leave it to the engine to say so.
        return Peek is not ('*' or '+' or '?' or '{');
    }

    private bool TryParseNumber(out int value)
    {
        value = 0;
        var start = _position;
        while (Peek is >= '0' and <= '9' && _position - start < 4)
        {
            value = (value * 10) + (_pattern[_position++] - '0');
        }

        return _position > start && Peek is not (>= '0' and <= '9');
    }

    private Node? ParseAtom()
    {
        var c = _pattern[_position++];
        switch (c)
        {
            case '(':
                return ParseGroup();
            case '[':
                return ParseClass();
            case '.':
                return new Node.Class(AsciiClassBuilder.AnyButNewline());
            case '^':
                return new Node.Assertion(AsciiOp.Beginning);
            case '$':
                return new Node.Assertion(AsciiOp.EndOrFinalNewline);
            case '\\':
                return ParseEscape();
            case '*' or '+' or '?' or '{' or '}' or ']' or ')' or '|':
                return null;
            default:
                return new Node.Literal(c);
        }
    }

    private Node? ParseGroup()
    {
        var number = 0;
        var name = -1;
        if (Peek == '?')
        {
            if (string.CompareOrdinal(_pattern, _position, "?:", 0, 2) == 0)
            {
                _position += 2;
                number = -1;
            }
            else if (string.CompareOrdinal(_pattern, _position, "?<", 0, 2) == 0 && _position + 2 < _pattern.Length && (char.IsAsciiLetter(_pattern[_position + 2]) || _pattern[_position + 2] == '_'))
            {
                var close = _pattern.IndexOf('>', _position + 2);
                var text = close < 0 ? string.Empty : _pattern[(_position + 2)..close];
                if (text.Length == 0 || !text.All(ch => char.IsAsciiLetterOrDigit(ch) || ch == '_') || Names.Contains(text))
                {
                    return null;
                }

                Names.Add(text);
                name = Names.Count - 1;
                _position = close + 1;
            }
            else
            {
                return null;
            }
        }
        else
        {
            number = ++UnnamedGroups;
        }

        var body = ParseAlternation();
        if (body is null || Peek != ')')
        {
            return null;
        }

        _position++;
        return number < 0 ? body : new Node.Group(number, name, body);
    }

    private Node? ParseEscape()
    {
        if (Peek is not { } c)
        {
            return null;
        }

        _position++;
        return c switch
        {
            'A' => new Node.Assertion(AsciiOp.Beginning),
            'Z' => new Node.Assertion(AsciiOp.EndOrFinalNewline),
            'z' => new Node.Assertion(AsciiOp.End),
            'b' => new Node.Assertion(AsciiOp.WordBoundary),
            'B' => new Node.Assertion(AsciiOp.NonWordBoundary),
            'd' or 'D' or 'w' or 'W' or 's' or 'S' => new Node.Class(AsciiClassBuilder.Shorthand(c)),
            _ => EscapedCharacter(c) is { } literal ? new Node.Literal(literal) : null,
        };
    }

    /// <summary>The character an escape stands for: <c>\t \n \r</c>, or a non-word ASCII character standing for itself.</summary>
    private static char? EscapedCharacter(char c) => c switch
    {
        't' => '\t',
        'n' => '\n',
        'r' => '\r',
        _ when c is >= ' ' and < '\x7f' && !char.IsAsciiLetterOrDigit(c) && c != '_' => c,
        _ => null,
    };

    private Node.Class? ParseClass()
    {
        var builder = new AsciiClassBuilder();
        if (Peek == '^')
        {
            builder.Negated = true;
            _position++;
        }

        if (Peek == ']')
        {
            return null;
        }

        var afterRange = false;
        while (true)
        {
            if (Peek is not { } c || c == '[')
            {
                return null;
            }

            _position++;
            if (c == ']')
            {
                break;
            }

            char single;
            if (c == '\\')
            {
                if (Peek is not { } e)
                {
                    return null;
                }

                _position++;
                if (e is 'd' or 'D' or 'w' or 'W' or 's' or 'S')
                {
                    builder.Add(AsciiClassBuilder.Shorthand(e));
                    afterRange = false;
                    continue;
                }

                if (EscapedCharacter(e) is not { } escaped)
                {
                    return null;
                }

                single = escaped;
            }
            else
            {
                // "a-z-0" and similar are read differently by different engines: leave them to .NET.
                if (c == '-' && afterRange && Peek != ']')
                {
                    return null;
                }

                single = c;
            }

            afterRange = false;
            if (Peek == '-' && _position + 1 < _pattern.Length && _pattern[_position + 1] != ']')
            {
                _position++;
                if (Peek is not { } h || h is '[' or ']')
                {
                    return null;
                }

                _position++;
                char high;
                if (h == '\\')
                {
                    if (Peek is not { } e || EscapedCharacter(e) is not { } escaped)
                    {
                        return null;
                    }

                    _position++;
                    high = escaped;
                }
                else
                {
                    high = h;
                }

                if (high < single)
                {
                    return null;
                }

                builder.AddRange(single, high);
                afterRange = true;
                continue;
            }

            builder.AddRange(single, single);
        }

        return new Node.Class(builder);
    }

    /// <summary>A node of the parsed tree.</summary>
    internal abstract record Node
    {
        /// <summary>One character.</summary>
        public sealed record Literal(char Character) : Node;

        /// <summary>A character class (also <c>.</c> and the shorthands).</summary>
        public sealed record Class(AsciiClassBuilder Builder) : Node;

        /// <summary>A zero-width assertion.</summary>
        public sealed record Assertion(AsciiOp Op) : Node;

        /// <summary>A capturing group: <paramref name="Number"/> for an unnamed one, or <paramref name="NameIndex"/> into the names.</summary>
        public sealed record Group(int Number, int NameIndex, Node Body) : Node;

        /// <summary>A sequence.</summary>
        public sealed record Concatenation(List<Node> Items) : Node;

        /// <summary>Alternatives, tried left to right.</summary>
        public sealed record Alternation(List<Node> Branches) : Node;

        /// <summary>A quantified node; <paramref name="Max"/> is -1 for no limit.</summary>
        public sealed record Repeat(Node Body, int Min, int Max, bool Lazy) : Node;
    }
}
