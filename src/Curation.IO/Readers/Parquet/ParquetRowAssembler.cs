using System.Text.Encodings.Web;
using System.Text.Json;
using Curation.Core;
using Parquet.Schema;

namespace Curation.IO.Readers.Parquet;

/// <summary>Rebuilds whole rows as JSON objects (column name to value) from a row group's leaf columns.</summary>
internal sealed class ParquetRowAssembler
{
    private readonly (JsonEncodedText Name, ParquetNode Node)[] _columns;
    private readonly List<LeafNode> _leaves;

    private ParquetRowAssembler((JsonEncodedText Name, ParquetNode Node)[] columns, List<LeafNode> leaves)
    {
        _columns = columns;
        _leaves = leaves;
    }

    /// <summary>The leaf columns, in schema order; bind each to its row group data before writing rows.</summary>
    public IReadOnlyList<LeafNode> Leaves => _leaves;

    public static ParquetRowAssembler Create(ParquetSchema schema, string file)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var leaves = new List<LeafNode>();
        var columns = Children(schema.Fields, leaves, file);
        return new ParquetRowAssembler(columns, leaves);
    }

    public void WriteRow(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        foreach (var (name, node) in _columns)
        {
            writer.WritePropertyName(name);
            node.Write(writer);
        }

        writer.WriteEndObject();
    }

    /// <summary>The name of a column that still has slots after every row was written, or null when all add up.</summary>
    public string? FindUnconsumedColumn()
    {
        foreach (var leaf in _leaves)
        {
            if (leaf.Cursor.HasNext)
            {
                return leaf.Field.Path.ToString();
            }
        }

        return null;
    }

    private static (JsonEncodedText Name, ParquetNode Node)[] Children(IReadOnlyList<Field> fields, List<LeafNode> leaves, string file)
    {
        var children = new (JsonEncodedText, ParquetNode)[fields.Count];
        for (var i = 0; i < fields.Count; i++)
        {
            children[i] = (JsonEncodedText.Encode(fields[i].Name, JavaScriptEncoder.UnsafeRelaxedJsonEscaping), Build(fields[i], leaves, file));
        }

        return children;
    }

    private static ParquetNode Build(Field field, List<LeafNode> leaves, string file)
    {
        switch (field)
        {
            case DataField data:
                var leaf = new LeafNode(data);
                leaves.Add(leaf);
                return leaf;
            case StructField structField when structField.Fields.Count > 0:
                return new StructNode(structField, Children(structField.Fields, leaves, file));
            case ListField list:
                return new ListNode(list, Build(list.Item, leaves, file));
            case MapField map when map.Key is DataField key:
                var keyLeaf = new LeafNode(key);
                leaves.Add(keyLeaf);
                return new MapNode(map, keyLeaf, Build(map.Value, leaves, file));
            default:
                throw new CurationException($"{file}: column '{field.Path}': unsupported Parquet field ({field.SchemaType}, {field.GetType().Name})");
        }
    }
}
