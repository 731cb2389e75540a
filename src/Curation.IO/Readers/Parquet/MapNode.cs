using System.Text.Json;
using Parquet.Schema;

namespace Curation.IO.Readers.Parquet;

/// <summary>A MAP field, written as a JSON object whose property names are the keys as text.</summary>
internal sealed class MapNode : ParquetNode
{
    private readonly MapField _field;
    private readonly LeafNode _key;
    private readonly ParquetNode _value;

    public MapNode(MapField field, LeafNode key, ParquetNode value)
    {
        _field = field;
        _key = key;
        _value = value;
    }

    public override LeafNode FirstLeaf => _key;

    public override void Write(Utf8JsonWriter writer)
    {
        var definition = _key.Cursor.Definition;
        if (definition < _field.MaxDefinitionLevel - 1)
        {
            writer.WriteNullValue();
            Skip();
            return;
        }

        writer.WriteStartObject();
        if (definition < _field.MaxDefinitionLevel)
        {
            Skip();
        }
        else
        {
            var cursor = _key.Cursor;
            do
            {
                cursor.WriteSlotAsPropertyName(writer);
                _value.Write(writer);
            }
            while (cursor.HasNext && cursor.Repetition == _field.MaxRepetitionLevel);
        }

        writer.WriteEndObject();
    }

    public override void Skip()
    {
        _key.Skip();
        _value.Skip();
    }
}
