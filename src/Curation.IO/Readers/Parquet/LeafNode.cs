using System.Text.Json;
using Parquet.Schema;

namespace Curation.IO.Readers.Parquet;

/// <summary>A primitive column (or a legacy repeated primitive, written as an array).</summary>
internal sealed class LeafNode : ParquetNode
{
    private ColumnCursor? _cursor;

    public LeafNode(DataField field)
    {
        Field = field;
    }

    public DataField Field { get; }

    public override LeafNode FirstLeaf => this;

    /// <summary>The row group column this leaf reads; set before each row group.</summary>
    public ColumnCursor Cursor
    {
        get => _cursor ?? throw new InvalidOperationException($"Column '{Field.Path}' is not bound to a row group.");
        set => _cursor = value;
    }

    public override void Write(Utf8JsonWriter writer)
    {
        if (!Field.IsArray)
        {
            Cursor.WriteSlot(writer);
            return;
        }

        // A bare repeated primitive: its elements cannot be null, so a lower level means an empty list.
        var cursor = Cursor;
        writer.WriteStartArray();
        if (cursor.Definition < Field.MaxDefinitionLevel)
        {
            cursor.Skip();
        }
        else
        {
            do
            {
                cursor.WriteSlot(writer);
            }
            while (cursor.HasNext && cursor.Repetition == Field.MaxRepetitionLevel);
        }

        writer.WriteEndArray();
    }

    public override void Skip() => Cursor.Skip();
}
