using System.Text.Json;

namespace AgentRefine.Tokenization;

/// <summary>The one writer of a token row, <c>{"id"?, "input_ids", "labels", "attention_mask"}</c>, shared by <see cref="TokenRowWriter"/> and <see cref="TokensDatasetWriter"/>.</summary>
internal static class TokenRowJson
{
    public static void Write(Utf8JsonWriter writer, TokenizedConversation row, string? id)
    {
        writer.WriteStartObject();
        if (id is not null)
        {
            writer.WriteString("id"u8, id);
        }

        WriteArray(writer, "input_ids"u8, row.InputIds);
        WriteArray(writer, "labels"u8, row.Labels);
        writer.WriteStartArray("attention_mask"u8);
        for (var i = 0; i < row.Length; i++)
        {
            writer.WriteNumberValue(1);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteArray(Utf8JsonWriter writer, ReadOnlySpan<byte> name, IReadOnlyList<int> values)
    {
        writer.WriteStartArray(name);
        foreach (var value in values)
        {
            writer.WriteNumberValue(value);
        }

        writer.WriteEndArray();
    }
}
