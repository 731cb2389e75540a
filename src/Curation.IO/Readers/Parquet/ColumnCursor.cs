using System.Text.Json;
using Parquet.Data;
using Parquet.Schema;

namespace Curation.IO.Readers.Parquet;

/// <summary>
/// Walks one leaf column of a row group: its definition and repetition levels (one entry per value slot, null or
/// not) and its dense values (one per slot whose definition level is the maximum).
/// </summary>
internal abstract class ColumnCursor : IDisposable
{
    private readonly RawColumnData _data;
    private readonly int _count;
    private int _position;

    protected ColumnCursor(DataField field, RawColumnData data, long rowCount)
    {
        Field = field;
        _data = data;
        MaxDefinition = field.MaxDefinitionLevel;
        MaxRepetition = field.MaxRepetitionLevel;
        _count = MaxDefinition > 0 ? data.DefinitionLevels.Length : checked((int)rowCount);
    }

    public DataField Field { get; }

    public int MaxDefinition { get; }

    public int MaxRepetition { get; }

    public bool HasNext => _position < _count;

    public int Definition => MaxDefinition == 0 ? 0 : _data.DefinitionLevels[_position];

    /// <summary>Repetition level of the current slot; 0 (a new row) past the end.</summary>
    public int Repetition => MaxRepetition == 0 || _position >= _count ? 0 : _data.RepetitionLevels[_position];

    public static ColumnCursor Create(DataField field, RawColumnData data, long rowCount)
    {
        var valueType = data.GetType().GetGenericArguments()[0];
        var cursorType = typeof(ValueColumnCursor<>).MakeGenericType(valueType);
        return (ColumnCursor)Activator.CreateInstance(cursorType, field, data, rowCount)!;
    }

    /// <summary>Writes the current slot as a value or null and moves to the next slot.</summary>
    public void WriteSlot(Utf8JsonWriter writer)
    {
        if (Definition == MaxDefinition)
        {
            WriteNextValue(writer);
        }
        else
        {
            writer.WriteNullValue();
        }

        _position++;
    }

    /// <summary>Writes the current slot's value as a property name (a map key) and moves on.</summary>
    public void WriteSlotAsPropertyName(Utf8JsonWriter writer)
    {
        if (Definition == MaxDefinition)
        {
            WriteNextValueAsPropertyName(writer);
        }
        else
        {
            writer.WritePropertyName(string.Empty);
        }

        _position++;
    }

    /// <summary>Moves past the current slot (one that holds no value, under a null or empty parent).</summary>
    public void Skip()
    {
        if (Definition == MaxDefinition)
        {
            SkipValue();
        }

        _position++;
    }

    public void Dispose()
    {
        _data.Dispose();
        GC.SuppressFinalize(this);
    }

    protected abstract void WriteNextValue(Utf8JsonWriter writer);

    protected abstract void WriteNextValueAsPropertyName(Utf8JsonWriter writer);

    protected abstract void SkipValue();
}
