using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace AgentRefine.Json;

/// <summary>Writes canonical JSON text with the library's writer settings.</summary>
internal static class CanonicalJson
{
    /// <summary>
    /// Writer settings: non-ASCII text kept readable (only what JSON requires is escaped), no
    /// validation cost beyond the writer's own.
    /// </summary>
    public static JsonWriterOptions WriterOptions(bool indented) => new()
    {
        Indented = indented,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Runs <paramref name="write"/> against a fresh writer and returns the text.</summary>
    public static string Write(Action<Utf8JsonWriter> write, bool indented)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions(indented)))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
