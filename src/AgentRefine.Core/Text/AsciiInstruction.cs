using System.Runtime.InteropServices;

namespace AgentRefine.Text;

/// <summary>One instruction of an <see cref="AsciiPattern"/> program.</summary>
[StructLayout(LayoutKind.Auto)]
internal readonly record struct AsciiInstruction(AsciiOp Op, int Argument = 0, int Alternative = 0);
