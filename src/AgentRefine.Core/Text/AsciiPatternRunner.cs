using System.Text.RegularExpressions;

namespace AgentRefine.Text;

/// <summary>
/// Runs an <see cref="AsciiPattern"/> program over ASCII input by depth-first backtracking in .NET's
/// priority order, remembering every (instruction, position) state already explored so that no state
/// is explored twice (the search is linear in input length × program size, and its first match is the
/// one plain backtracking finds, since the patterns have no backreferences). The match timeout is
/// checked as .NET's engines check it. Input that is not ASCII, or too long for the state table, is
/// matched by .NET's engine and its captures replayed.
/// </summary>
internal sealed class AsciiPatternRunner : RegexRunner
{
    private const int MaxStates = 1 << 18;

    [ThreadStatic]
    private static ulong[]? t_visited;

    [ThreadStatic]
    private static int[]? t_stack;

    private readonly AsciiPatternRegex _owner;
    private readonly int[] _captures;

    public AsciiPatternRunner(AsciiPatternRegex owner)
    {
        _owner = owner;
        _captures = new int[2 * owner.Compiled.GroupCount];
    }

    protected override void Scan(ReadOnlySpan<char> text)
    {
        var compiled = _owner.Compiled;
        var width = text.Length + 1;
        if ((long)width * compiled.Program.Length > MaxStates || !System.Text.Ascii.IsValid(text))
        {
            ScanWithEngine(text);
            return;
        }

        var states = width * compiled.Program.Length;
        var visited = t_visited is { } cached && cached.Length >= (states + 63) / 64 ? cached : t_visited = new ulong[Math.Max(64, (states + 63) / 64)];
        visited.AsSpan(0, (states + 63) / 64).Clear();
        for (var start = runtextpos; start <= text.Length; start++)
        {
            if (compiled.AnchoredAtStart && start > 0)
            {
                return;
            }

            if (TryMatchAt(compiled, text, start, visited, width, out var end))
            {
                for (var group = 1; group < compiled.GroupCount; group++)
                {
                    if (_captures[2 * group] >= 0 && _captures[(2 * group) + 1] >= 0)
                    {
                        Capture(group, _captures[2 * group], _captures[(2 * group) + 1]);
                    }
                }

                Capture(0, start, end);
                runtextpos = end;
                return;
            }

            CheckTimeout();
        }
    }

    private bool TryMatchAt(AsciiPattern compiled, ReadOnlySpan<char> text, int start, ulong[] visited, int width, out int end)
    {
        var program = compiled.Program;
        var sets = compiled.Sets;
        _captures.AsSpan().Fill(-1);
        var stack = t_stack ??= new int[256];
        var top = 0;
        stack[top++] = 0;
        stack[top++] = start;
        var steps = 0;
        while (top > 0)
        {
            var pos = stack[--top];
            var pc = stack[--top];
            if (pc < 0)
            {
                _captures[-pc - 1] = pos;
                continue;
            }

            while (true)
            {
                var state = (pc * width) + pos;
                if ((visited[state >> 6] & (1UL << state)) != 0)
                {
                    break;
                }

                visited[state >> 6] |= 1UL << state;
                if ((++steps & 0xFFF) == 0)
                {
                    CheckTimeout();
                }

                var instruction = program[pc];
                switch (instruction.Op)
                {
                    case AsciiOp.Char:
                        if (pos < text.Length && text[pos] == instruction.Argument)
                        {
                            pc++;
                            pos++;
                            continue;
                        }

                        break;
                    case AsciiOp.Set:
                        if (pos < text.Length && AsciiClassBuilder.Contains((sets[2 * instruction.Argument], sets[(2 * instruction.Argument) + 1]), text[pos]))
                        {
                            pc++;
                            pos++;
                            continue;
                        }

                        break;
                    case AsciiOp.Split:
                        Push(ref stack, ref top, instruction.Alternative, pos);
                        pc = instruction.Argument;
                        continue;
                    case AsciiOp.Jump:
                        pc = instruction.Argument;
                        continue;
                    case AsciiOp.Save:
                        Push(ref stack, ref top, -instruction.Argument - 1, _captures[instruction.Argument]);
                        _captures[instruction.Argument] = pos;
                        pc++;
                        continue;
                    case AsciiOp.Beginning:
                        if (pos == 0)
                        {
                            pc++;
                            continue;
                        }

                        break;
                    case AsciiOp.EndOrFinalNewline:
                        if (pos == text.Length || (pos == text.Length - 1 && text[pos] == '\n'))
                        {
                            pc++;
                            continue;
                        }

                        break;
                    case AsciiOp.End:
                        if (pos == text.Length)
                        {
                            pc++;
                            continue;
                        }

                        break;
                    case AsciiOp.WordBoundary:
                    case AsciiOp.NonWordBoundary:
                        var before = pos > 0 && AsciiClassBuilder.IsWordCharacter(text[pos - 1]);
                        var after = pos < text.Length && AsciiClassBuilder.IsWordCharacter(text[pos]);
                        if ((before != after) == (instruction.Op == AsciiOp.WordBoundary))
                        {
                            pc++;
                            continue;
                        }

                        break;
                    case AsciiOp.Match:
                        t_stack = stack;
                        end = pos;
                        return true;
                }

                break;
            }
        }

        t_stack = stack;
        end = -1;
        return false;
    }

    private static void Push(ref int[] stack, ref int top, int first, int second)
    {
        if (top + 2 > stack.Length)
        {
            Array.Resize(ref stack, stack.Length * 2);
        }

        stack[top++] = first;
        stack[top++] = second;
    }

    /// <summary>Matches with .NET's engine and replays its captures into this runner's match.</summary>
    private void ScanWithEngine(ReadOnlySpan<char> text)
    {
        var match = _owner.Engine.Match(text.ToString(), runtextpos);
        if (!match.Success)
        {
            return;
        }

        for (var group = 1; group < match.Groups.Count; group++)
        {
            foreach (Capture capture in match.Groups[group].Captures)
            {
                Capture(group, capture.Index, capture.Index + capture.Length);
            }
        }

        Capture(0, match.Index, match.Index + match.Length);
        runtextpos = match.Index + match.Length;
    }
}
