using System.Text.Json;
using Parquet;
using Parquet.Schema;

namespace AgentRefine.Conversion;

/// <summary>
/// One leaf column of a row group being gathered: the non-null values, and the definition and repetition
/// levels Parquet stores beside them for nested and optional fields (computed by <see cref="ParquetRowShredder"/>).
/// </summary>
internal abstract class ParquetLeafColumn(DataField field)
{
    private readonly GrowableBuffer<int>? _definitions = field.MaxDefinitionLevel > 0 ? new() : null;
    private readonly GrowableBuffer<int>? _repetitions = field.MaxRepetitionLevel > 0 ? new() : null;

    public DataField Field { get; } = field;

    protected ReadOnlyMemory<int>? Definitions => _definitions?.Memory;

    protected ReadOnlyMemory<int>? Repetitions => _repetitions?.Memory;

    /// <summary>The column for <paramref name="field"/>'s type: string, bool, int, long or double.</summary>
    public static ParquetLeafColumn For(DataField field)
    {
        ArgumentNullException.ThrowIfNull(field);
        var type = field.ClrType;
        return type == typeof(string) || type == typeof(ReadOnlyMemory<char>) ? new ParquetLeafColumn<ReadOnlyMemory<char>>(field, static (ref Utf8JsonReader r) => (r.GetString() ?? string.Empty).AsMemory(), JsonTokenType.String)
            : type == typeof(bool) ? new ParquetLeafColumn<bool>(field, static (ref Utf8JsonReader r) => r.GetBoolean(), JsonTokenType.True, JsonTokenType.False)
            : type == typeof(int) ? new ParquetLeafColumn<int>(field, static (ref Utf8JsonReader r) => r.GetInt32(), JsonTokenType.Number)
            : type == typeof(long) ? new ParquetLeafColumn<long>(field, static (ref Utf8JsonReader r) => r.GetInt64(), JsonTokenType.Number)
            : type == typeof(double) ? new ParquetLeafColumn<double>(field, static (ref Utf8JsonReader r) => r.GetDouble(), JsonTokenType.Number)
            : throw new NotSupportedException($"Parquet column '{field.Path}' of type {type} is not supported.");
    }

    /// <summary>A missing value: only levels (<paramref name="definition"/> below the field's maximum).</summary>
    public void AddNull(int repetition, int definition)
    {
        _repetitions?.Add(repetition);
        _definitions?.Add(definition);
    }

    /// <summary>The value the reader is on, fully defined.</summary>
    /// <exception cref="DatasetFormatException">The JSON value is not of the column's type.</exception>
    public void Add(ref Utf8JsonReader reader, int repetition)
    {
        AddValue(ref reader);
        _repetitions?.Add(repetition);
        _definitions?.Add(Field.MaxDefinitionLevel);
    }

    public abstract Task WriteAsync(ParquetRowGroupWriter group, CancellationToken cancellationToken);

    public virtual void Clear()
    {
        _definitions?.Clear();
        _repetitions?.Clear();
    }

    protected abstract void AddValue(ref Utf8JsonReader reader);
}
