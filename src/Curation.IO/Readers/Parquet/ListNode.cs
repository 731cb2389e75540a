using System.Text.Json;
using Parquet.Schema;

namespace Curation.IO.Readers.Parquet;

/// <summary>A LIST field, written as a JSON array (null when the list itself is null).</summary>
internal sealed class ListNode : ParquetNode
{
    private readonly ListField _field;
    private readonly ParquetNode _item;

    public ListNode(ListField field, ParquetNode item)
    {
        _field = field;
        _item = item;
    }

    public override LeafNode FirstLeaf => _item.FirstLeaf;

    public override void Write(Utf8JsonWriter writer)
    {
        // The field's max definition level is that of its repeated group: one less means an empty list, lower means null.
        var definition = FirstLeaf.Cursor.Definition;
        if (definition < _field.MaxDefinitionLevel - 1)
        {
            writer.WriteNullValue();
            Skip();
            return;
        }

        writer.WriteStartArray();
        if (definition < _field.MaxDefinitionLevel)
        {
            Skip();
        }
        else
        {
            var cursor = FirstLeaf.Cursor;
            do
            {
                _item.Write(writer);
            }
            while (cursor.HasNext && cursor.Repetition == _field.MaxRepetitionLevel);
        }

        writer.WriteEndArray();
    }

    public override void Skip() => _item.Skip();
}
