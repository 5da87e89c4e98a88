using System.Text.Json;
using Parquet;
using Parquet.Schema;

namespace AgentRefine.Conversion;

/// <summary>A leaf column of values of type <typeparamref name="T"/> (strings as <see cref="ReadOnlyMemory{T}"/> of char).</summary>
/// <typeparam name="T">The value type Parquet.Net writes.</typeparam>
internal sealed class ParquetLeafColumn<T>(DataField field, JsonValueReader<T> read, params JsonTokenType[] tokens) : ParquetLeafColumn(field)
    where T : struct
{
    private readonly GrowableBuffer<T> _values = new();

    public override Task WriteAsync(ParquetRowGroupWriter group, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(group);
        return group.WriteAllPartsAsync(Field, _values.Memory, Definitions, Repetitions, cancellationToken);
    }

    public override void Clear()
    {
        base.Clear();
        _values.Clear();
    }

    protected override void AddValue(ref Utf8JsonReader reader)
    {
        if (Array.IndexOf(tokens, reader.TokenType) < 0)
        {
            throw new DatasetFormatException($"The row does not fit its Parquet schema: '{Field.Path}' holds {reader.TokenType}, expected {string.Join(" or ", tokens)}.");
        }

        _values.Add(read(ref reader));
    }
}
