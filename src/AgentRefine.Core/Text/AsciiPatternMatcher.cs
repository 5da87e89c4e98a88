using System.Text.RegularExpressions;

namespace AgentRefine.Text;

/// <summary>
/// Runs an <see cref="AsciiPattern"/> program over ASCII input by depth-first backtracking in .NET's
/// priority order, remembering every (instruction, position) state already explored so that no state
/// is explored twice: the search is linear in input length × program size, and its first match is the
/// one plain backtracking finds, since the patterns have no backreferences. The match timeout is
/// kept as .NET keeps it: a deadline of the timeout in whole milliseconds from the start of the
/// match, checked as the search goes, ending in <see cref="RegexMatchTimeoutException"/>.
/// </summary>
internal static class AsciiPatternMatcher
{
    /// <summary>The largest input length × program size searched here; beyond it .NET's engine matches.</summary>
    public const int MaxStates = 1 << 18;

    [ThreadStatic]
    private static ulong[]? t_visited;

    [ThreadStatic]
    private static int[]? t_stack;

    /// <summary>Whether <paramref name="text"/> can be matched here (ASCII, and small enough for the state table).</summary>
    public static bool CanMatch(AsciiPattern compiled, ReadOnlySpan<char> text) =>
        (long)(text.Length + 1) * compiled.Program.Length <= MaxStates && System.Text.Ascii.IsValid(text);

    /// <summary>
    /// Finds the first match at or after <paramref name="startAt"/>. <paramref name="captures"/> (two
    /// entries per group, group 0 unused) receives each group's start and end, or -1 for a group that
    /// did not take part.
    /// </summary>
    /// <exception cref="RegexMatchTimeoutException">The match ran past <paramref name="matchTimeout"/>.</exception>
    public static bool TryMatch(AsciiPattern compiled, ReadOnlySpan<char> text, int startAt, TimeSpan matchTimeout, Span<int> captures, out int start, out int end)
    {
        var deadline = new Deadline(compiled.Pattern, matchTimeout);
        var width = text.Length + 1;
        var words = ((width * compiled.Program.Length) + 63) / 64;
        var visited = t_visited is { } cached && cached.Length >= words ? cached : t_visited = new ulong[Math.Max(64, words)];
        visited.AsSpan(0, words).Clear();
        for (start = startAt; start <= text.Length; start++)
        {
            if (compiled.AnchoredAtStart && start > 0)
            {
                break;
            }

            if (TryMatchAt(compiled, text, start, captures, visited, width, ref deadline, out end))
            {
                return true;
            }

            deadline.Check(text);
        }

        start = end = -1;
        return false;
    }

    private static bool TryMatchAt(AsciiPattern compiled, ReadOnlySpan<char> text, int start, Span<int> captures, ulong[] visited, int width, ref Deadline deadline, out int end)
    {
        var program = compiled.Program;
        var sets = compiled.Sets;
        captures.Fill(-1);
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
                captures[-pc - 1] = pos;
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
                    deadline.Check(text);
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
                        Push(ref stack, ref top, -instruction.Argument - 1, captures[instruction.Argument]);
                        captures[instruction.Argument] = pos;
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

    /// <summary>The time a match must end by, as .NET's engines keep it.</summary>
    private struct Deadline(string pattern, TimeSpan timeout)
    {
        private readonly bool _enabled = timeout != Regex.InfiniteMatchTimeout;
        private readonly long _at = timeout == Regex.InfiniteMatchTimeout ? long.MaxValue : Environment.TickCount64 + (int)(timeout.TotalMilliseconds + 0.5);

        public readonly void Check(ReadOnlySpan<char> text)
        {
            if (_enabled && Environment.TickCount64 >= _at)
            {
                throw new RegexMatchTimeoutException(text.ToString(), pattern, TimeSpan.FromMilliseconds((int)(timeout.TotalMilliseconds + 0.5)));
            }
        }
    }
}
