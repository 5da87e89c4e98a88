using System.Text;
using System.Text.RegularExpressions;

namespace AgentRefine.Core.Tests.Conversion;

/// <summary>
/// A records file of every kind of line, built from samples/records.jsonl: per block, the two accepted
/// records that convert (one with CRLF), the rejected one, the one that fails verification again
/// (too-few-refinements), blank and whitespace lines, and five unreadable lines (not JSON, an id that is
/// not a string, an array, invalid UTF-8, a line over <see cref="Limits"/>), plus an accepted record with
/// text after its object (read as the record, as JsonDocument.ParseValue does). The file starts with a
/// UTF-8 byte order mark and ends with a torn line. Ids get the block's number, so each record is distinct.
/// </summary>
internal static partial class MixedRecordsFile
{
    /// <summary>The name the files are read under (messages say <c>records.jsonl:line</c>).</summary>
    public const string Name = "records.jsonl";

    /// <summary>Non-blank lines per full block.</summary>
    public const int LinesPerBlock = 10;

    /// <summary>Records per full block that convert.</summary>
    public const int ConvertedPerBlock = 3;

    /// <summary>Unreadable lines per full block.</summary>
    public const int UnreadablePerBlock = 5;

    /// <summary>Read limits under which the long line is too long (8,000 bytes) and every sample fits.</summary>
    public static AgentRefine.Json.JsonReadLimits Limits => new() { MaxInputChars = 2_000 };

    /// <summary>The sample lines: 0 and 1 convert, 2 is rejected, 3 fails verification again.</summary>
    public static string[] Samples { get; } = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "samples", "records.jsonl"));

    /// <summary>A sample line with <paramref name="suffix"/> appended to its id.</summary>
    public static string Sample(int index, string suffix) => IdPattern().Replace(Samples[index], m => m.Value[..^1] + suffix + "\"", 1);

    /// <summary>The whole file.</summary>
    /// <param name="blocks">Blocks of lines.</param>
    /// <param name="full">Which blocks hold every kind of line; the others hold only the two records that convert.</param>
    /// <param name="edit">Changes a block's line (block, line) before it is written.</param>
    /// <returns>The bytes.</returns>
    public static byte[] Build(int blocks, Func<int, bool>? full = null, Func<int, string, string>? edit = null)
    {
        full ??= _ => true;
        edit ??= (_, line) => line;
        var bytes = new MemoryStream();
        bytes.Write([0xEF, 0xBB, 0xBF]);
        void Line(string text, string end = "\n") => bytes.Write(Encoding.UTF8.GetBytes(text + end));
        for (var block = 0; block < blocks; block++)
        {
            var k = block;
            string E(string line) => edit(k, line);
            Line(E(Sample(0, $"-{k}")));
            if (!full(k))
            {
                Line(E(Sample(1, $"-{k}")), "\r\n");
                continue;
            }

            Line(string.Empty);
            Line(E(Sample(1, $"-{k}")), "\r\n");
            Line("  \t ");
            Line(E(Sample(2, $"-{k}")));
            Line("not json {");
            Line(E(Sample(3, $"-{k}")));
            Line("""{"id": 5, "script": null, "trajectory": null}""");
            Line("[1, 2]");
            Line(E(Sample(0, $"-{k}-t")) + "   and then some text");
            bytes.Write([0xFF, 0xFE, (byte)'a', (byte)'\n']);
            Line($$"""{"id": "long-{{k}}", "pad": "{{new string('x', 9_000)}}"}""");
        }

        // A torn last line: half a record, no line break.
        bytes.Write(Encoding.UTF8.GetBytes(Sample(1, "-torn")[..2_000]));
        return bytes.ToArray();
    }

    [GeneratedRegex("\"id\":\"[0-9a-f]+\"")]
    private static partial Regex IdPattern();
}
