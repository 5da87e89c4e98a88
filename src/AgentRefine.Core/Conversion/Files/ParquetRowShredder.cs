using System.Text.Json;
using Parquet;
using Parquet.Schema;

namespace AgentRefine.Conversion;

/// <summary>
/// Splits JSON row objects into the leaf columns of a Parquet schema (the Dremel record shredding Parquet
/// defines): each leaf gets its values plus, for optional and repeated fields, the definition level (how
/// deep the path is defined) and the repetition level (at which list the value repeats). Every format's
/// row is written once, as JSON, and the Parquet file holds exactly those rows. A JSON key the schema does
/// not name, a required value that is missing, or a value of another type is refused, never dropped.
/// </summary>
internal sealed class ParquetRowShredder
{
    private readonly Dictionary<DataField, ParquetLeafColumn> _columns;

    public ParquetRowShredder(ParquetSchema schema)
    {
        Schema = schema ?? throw new ArgumentNullException(nameof(schema));
        Leaves = [.. schema.GetDataFields().Select(ParquetLeafColumn.For)];
        _columns = Leaves.ToDictionary(c => c.Field, ReferenceEqualityComparer.Instance as IEqualityComparer<DataField>);
    }

    public ParquetSchema Schema { get; }

    /// <summary>The leaf columns, in the schema's order (the order a row group is written in).</summary>
    public IReadOnlyList<ParquetLeafColumn> Leaves { get; }

    /// <summary>Rows gathered since the last <see cref="Clear"/>.</summary>
    public int Rows { get; private set; }

    /// <summary>JSON bytes of the rows gathered since the last <see cref="Clear"/>.</summary>
    public long JsonBytes { get; private set; }

    /// <summary>Adds one row, given as a JSON object.</summary>
    /// <exception cref="DatasetFormatException">The row does not fit the schema.</exception>
    public void Add(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw Mismatch("a row is not a JSON object");
        }

        ShredObject(ref reader, Schema.Fields, repetition: 0, definition: 0);
        Rows++;
        JsonBytes += json.Length;
    }

    /// <summary>Writes the gathered rows as one row group and clears them.</summary>
    public async Task WriteRowGroupAsync(ParquetWriter writer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(writer);
        using (var group = writer.CreateRowGroup())
        {
            foreach (var leaf in Leaves)
            {
                await leaf.WriteAsync(group, cancellationToken).ConfigureAwait(false);
            }

            group.CompleteValidate();
        }

        Clear();
    }

    public void Clear()
    {
        foreach (var leaf in Leaves)
        {
            leaf.Clear();
        }

        Rows = 0;
        JsonBytes = 0;
    }

    private static DatasetFormatException Mismatch(string what) => new($"The row does not fit its Parquet schema: {what}.");

    /// <summary>The properties of the object the reader is on; <paramref name="definition"/> is the level this object defines.</summary>
    private void ShredObject(ref Utf8JsonReader reader, IReadOnlyList<Field> fields, int repetition, int definition)
    {
        Span<bool> seen = stackalloc bool[fields.Count];
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var index = -1;
            for (var i = 0; i < fields.Count; i++)
            {
                if (reader.ValueTextEquals(fields[i].Name))
                {
                    index = i;
                    break;
                }
            }

            if (index < 0)
            {
                throw Mismatch($"the schema has no field '{reader.GetString()}'");
            }

            if (seen[index])
            {
                throw Mismatch($"'{fields[index].Name}' appears twice");
            }

            seen[index] = true;
            reader.Read();
            ShredValue(ref reader, fields[index], repetition, definition);
        }

        for (var i = 0; i < fields.Count; i++)
        {
            if (!seen[i])
            {
                AddAbsent(fields[i], repetition, definition);
            }
        }
    }

    /// <summary>The value the reader is on, for <paramref name="field"/> under a parent defined to <paramref name="definition"/>.</summary>
    private void ShredValue(ref Utf8JsonReader reader, Field field, int repetition, int definition)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            AddAbsent(field, repetition, definition);
            return;
        }

        switch (field)
        {
            case DataField data:
                _columns[data].Add(ref reader, repetition);
                break;
            case ListField list:
                if (reader.TokenType != JsonTokenType.StartArray)
                {
                    throw Mismatch($"'{list.Name}' holds {reader.TokenType}, expected an array");
                }

                var first = true;
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    // The first element continues the parent's repetition; later ones repeat at this list's level.
                    ShredValue(ref reader, list.Item, first ? repetition : list.MaxRepetitionLevel, list.MaxDefinitionLevel);
                    first = false;
                }

                if (first)
                {
                    // Defined but empty: one level below the element's.
                    AddLevels(list.Item, repetition, list.MaxDefinitionLevel - 1);
                }

                break;
            case StructField structure:
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    throw Mismatch($"'{structure.Name}' holds {reader.TokenType}, expected an object");
                }

                ShredObject(ref reader, structure.Fields, repetition, structure.MaxDefinitionLevel);
                break;
            default:
                throw new NotSupportedException($"Parquet field '{field.Name}' of kind {field.SchemaType} is not supported.");
        }
    }

    /// <summary>A field that is missing or null: refused when it is a required value, else levels only.</summary>
    private void AddAbsent(Field field, int repetition, int definition)
    {
        if (field is DataField { IsNullable: false })
        {
            throw Mismatch($"the required field '{field.Name}' is missing");
        }

        AddLevels(field, repetition, definition);
    }

    private void AddLevels(Field field, int repetition, int definition)
    {
        switch (field)
        {
            case DataField data:
                _columns[data].AddNull(repetition, definition);
                break;
            case ListField list:
                AddLevels(list.Item, repetition, definition);
                break;
            case StructField structure:
                foreach (var child in structure.Fields)
                {
                    AddLevels(child, repetition, definition);
                }

                break;
            default:
                throw new NotSupportedException($"Parquet field '{field.Name}' of kind {field.SchemaType} is not supported.");
        }
    }
}
