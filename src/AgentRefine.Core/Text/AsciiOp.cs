namespace AgentRefine.Text;

/// <summary>The operations of an <see cref="AsciiPattern"/> program.</summary>
internal enum AsciiOp : byte
{
    /// <summary>The character <see cref="AsciiInstruction.Argument"/>.</summary>
    Char,

    /// <summary>A character of set <see cref="AsciiInstruction.Argument"/>.</summary>
    Set,

    /// <summary>Try <see cref="AsciiInstruction.Argument"/> first, then <see cref="AsciiInstruction.Alternative"/>.</summary>
    Split,

    /// <summary>Go to <see cref="AsciiInstruction.Argument"/>.</summary>
    Jump,

    /// <summary>Record the position in capture slot <see cref="AsciiInstruction.Argument"/>.</summary>
    Save,

    /// <summary><c>^</c> or <c>\A</c>: the beginning of the input.</summary>
    Beginning,

    /// <summary><c>$</c> or <c>\Z</c>: the end, or just before a final line feed.</summary>
    EndOrFinalNewline,

    /// <summary><c>\z</c>: the end of the input.</summary>
    End,

    /// <summary><c>\b</c>.</summary>
    WordBoundary,

    /// <summary><c>\B</c>.</summary>
    NonWordBoundary,

    /// <summary>A match.</summary>
    Match,
}
