using System.Text.Json;
using Parquet.Schema;

namespace Curation.IO.Readers.Parquet;

/// <summary>A struct (group) field, written as a JSON object with its fields in schema order.</summary>
internal sealed class StructNode : ParquetNode
{
    private readonly StructField _field;
    private readonly (JsonEncodedText Name, ParquetNode Node)[] _children;

    public StructNode(StructField field, (JsonEncodedText Name, ParquetNode Node)[] children)
    {
        if (children.Length == 0)
        {
            throw new ArgumentException("A struct needs at least one field.", nameof(children));
        }

        _field = field;
        _children = children;
    }

    public override LeafNode FirstLeaf => _children[0].Node.FirstLeaf;

    public override void Write(Utf8JsonWriter writer)
    {
        if (_field.IsNullable && FirstLeaf.Cursor.Definition < _field.MaxDefinitionLevel)
        {
            writer.WriteNullValue();
            Skip();
            return;
        }

        writer.WriteStartObject();
        foreach (var (name, node) in _children)
        {
            writer.WritePropertyName(name);
            node.Write(writer);
        }

        writer.WriteEndObject();
    }

    public override void Skip()
    {
        foreach (var (_, node) in _children)
        {
            node.Skip();
        }
    }
}
