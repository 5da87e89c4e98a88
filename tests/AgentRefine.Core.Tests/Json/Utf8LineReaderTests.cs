using System.Text;
using AgentRefine.Json;

namespace AgentRefine.Core.Tests.Json;

public class Utf8LineReaderTests
{
    private static List<(string Line, int Number, long End, bool Terminated)> Split(byte[] bytes, int chunk)
    {
        var lines = new List<(string, int, long, bool)>();
        var reader = new Utf8LineReader();
        void Handle(ReadOnlySpan<byte> line, int number, long end, bool terminated) => lines.Add((Encoding.UTF8.GetString(line), number, end, terminated));
        for (var start = 0; start < bytes.Length; start += chunk)
        {
            reader.Feed(bytes.AsSpan(start, Math.Min(chunk, bytes.Length - start)), Handle);
        }

        reader.Finish(Handle);
        return lines;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(64)]
    public void A_byte_order_mark_is_removed_from_line_one_only_whatever_the_chunking(int chunk)
    {
        byte[] bytes = [0xEF, 0xBB, 0xBF, .. "a\r\n"u8, 0xEF, 0xBB, 0xBF, .. "b\n"u8];

        Split(bytes, chunk).Should().Equal(("a", 1, 6L, true), ("\uFEFFb", 2, 11L, true));
    }

    [Fact]
    public void A_file_that_is_only_a_torn_first_line_loses_its_byte_order_mark_too()
    {
        Split([0xEF, 0xBB, 0xBF, .. "{}"u8], 64).Should().Equal(("{}", 1, 5L, false));
    }
}
