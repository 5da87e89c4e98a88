using Node = AgentRefine.Text.AsciiPatternParser.Node;

namespace AgentRefine.Text;

/// <summary>
/// Turns a parsed <see cref="AsciiPattern"/> tree into backtracking instructions in .NET's priority
/// order (greedy loops try one more iteration first, lazy ones one fewer, alternatives left to right).
/// Refuses trees whose .NET meaning or running time depends on engine details: a repeat that may run
/// more than once over anything but one character (so no capture is ever repeated and no nested or
/// alternating loop can backtrack catastrophically), a repeat whose body can match the empty string,
/// an empty repeat (<c>{0}</c>).
/// </summary>
internal sealed class AsciiPatternCompiler
{
    private readonly int _unnamedGroups;
    private readonly bool _ignoreCase;
    [ThreadStatic]
    private static List<AsciiInstruction>? t_program;

    [ThreadStatic]
    private static List<ulong>? t_sets;

    private readonly List<AsciiInstruction> _program;
    private readonly List<ulong> _sets;

    /// <summary>Creates a compiler; its working lists are the calling thread's, reused from one pattern to the next.</summary>
    public AsciiPatternCompiler(int unnamedGroups, bool ignoreCase)
    {
        _unnamedGroups = unnamedGroups;
        _ignoreCase = ignoreCase;
        _program = t_program ??= new List<AsciiInstruction>(256);
        _sets = t_sets ??= new List<ulong>(32);
        _program.Clear();
        _sets.Clear();
    }

    /// <summary>The instructions, after a successful <see cref="Compile"/> (a copy; read it before the thread compiles another pattern).</summary>
    public AsciiInstruction[] Program => [.. _program];

    /// <summary>The character sets, two words each.</summary>
    public ulong[] Sets => [.. _sets];

    /// <summary>Compiles the tree; <see langword="false"/> when it must go to .NET's engine.</summary>
    public bool Compile(Node tree)
    {
        if (!Emit(tree))
        {
            return false;
        }

        _program.Add(new AsciiInstruction(AsciiOp.Match));
        return _program.Count <= AsciiPattern.MaxInstructions;
    }

    private bool Emit(Node node)
    {
        if (_program.Count > AsciiPattern.MaxInstructions)
        {
            return false;
        }

        switch (node)
        {
            case Node.Literal literal:
                if (_ignoreCase && char.IsAsciiLetter(literal.Character))
                {
                    var builder = new AsciiClassBuilder();
                    builder.AddRange(literal.Character, literal.Character);
                    EmitSet(builder);
                }
                else
                {
                    _program.Add(new AsciiInstruction(AsciiOp.Char, literal.Character));
                }

                return true;
            case Node.Class set:
                EmitSet(set.Builder);
                return true;
            case Node.Assertion assertion:
                _program.Add(new AsciiInstruction(assertion.Op));
                return true;
            case Node.Group group:
                var number = group.Number > 0 ? group.Number : _unnamedGroups + 1 + group.NameIndex;
                _program.Add(new AsciiInstruction(AsciiOp.Save, 2 * number));
                if (!Emit(group.Body))
                {
                    return false;
                }

                _program.Add(new AsciiInstruction(AsciiOp.Save, (2 * number) + 1));
                return true;
            case Node.Concatenation concatenation:
                foreach (var item in concatenation.Items)
                {
                    if (!Emit(item))
                    {
                        return false;
                    }
                }

                return true;
            case Node.Alternation alternation:
                return EmitAlternation(alternation.Branches);
            case Node.Repeat repeat:
                return EmitRepeat(repeat);
            default:
                return false;
        }
    }

    private void EmitSet(AsciiClassBuilder builder)
    {
        var (low, high) = builder.Build(_ignoreCase);
        _program.Add(new AsciiInstruction(AsciiOp.Set, _sets.Count / 2));
        _sets.Add(low);
        _sets.Add(high);
    }

    private bool EmitAlternation(List<Node> branches)
    {
        var exits = new List<int>();
        for (var i = 0; i < branches.Count; i++)
        {
            var split = -1;
            if (i < branches.Count - 1)
            {
                split = _program.Count;
                _program.Add(default);
            }

            if (!Emit(branches[i]))
            {
                return false;
            }

            if (split >= 0)
            {
                exits.Add(_program.Count);
                _program.Add(default);
                _program[split] = new AsciiInstruction(AsciiOp.Split, split + 1, _program.Count);
            }
        }

        foreach (var exit in exits)
        {
            _program[exit] = new AsciiInstruction(AsciiOp.Jump, _program.Count);
        }

        return true;
    }

    private bool EmitRepeat(Node.Repeat repeat)
    {
        // A repeat that may run more than once takes one character per iteration (\s+, .+?, [a-z ]*):
        // loops over groups ((?:a|aa)+, (?:a+)+) are where .NET's own answer depends on its optimizer
        // or ends in a timeout, so they stay with .NET.
        if (repeat.Max == 0 || CanMatchEmpty(repeat.Body) || (repeat.Max != 1 && repeat.Body is not (Node.Literal or Node.Class)))
        {
            return false;
        }

        for (var i = 0; i < repeat.Min; i++)
        {
            if (!Emit(repeat.Body))
            {
                return false;
            }
        }

        if (repeat.Max < 0)
        {
            // loop: split(body, exit) — or (exit, body) when lazy; body; jump loop
            var loop = _program.Count;
            _program.Add(default);
            if (!Emit(repeat.Body))
            {
                return false;
            }

            _program.Add(new AsciiInstruction(AsciiOp.Jump, loop));
            _program[loop] = Choice(loop + 1, _program.Count, repeat.Lazy);
            return true;
        }

        // Each optional copy: split(body, exit); body — all exits to the end.
        var splits = new List<int>();
        for (var i = repeat.Min; i < repeat.Max; i++)
        {
            splits.Add(_program.Count);
            _program.Add(default);
            if (!Emit(repeat.Body))
            {
                return false;
            }
        }

        foreach (var split in splits)
        {
            _program[split] = Choice(split + 1, _program.Count, repeat.Lazy);
        }

        return true;
    }

    private static AsciiInstruction Choice(int body, int exit, bool lazy) =>
        lazy ? new AsciiInstruction(AsciiOp.Split, exit, body) : new AsciiInstruction(AsciiOp.Split, body, exit);

    /// <summary>Whether a node can match the empty string (assertions count as empty).</summary>
    private static bool CanMatchEmpty(Node node)
    {
        switch (node)
        {
            case Node.Literal or Node.Class:
                return false;
            case Node.Group group:
                return CanMatchEmpty(group.Body);
            case Node.Concatenation concatenation:
                foreach (var item in concatenation.Items)
                {
                    if (!CanMatchEmpty(item))
                    {
                        return false;
                    }
                }

                return true;
            case Node.Alternation alternation:
                foreach (var branch in alternation.Branches)
                {
                    if (CanMatchEmpty(branch))
                    {
                        return true;
                    }
                }

                return false;
            case Node.Repeat repeat:
                return repeat.Min == 0 || CanMatchEmpty(repeat.Body);
            default:
                return true;
        }
    }
}
