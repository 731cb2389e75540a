using System.Text.Json;

namespace Curation.IO.Readers.Parquet;

/// <summary>
/// One field of the Parquet schema, rebuilt from its leaf columns (Dremel record assembly): each call to
/// <see cref="Write"/> writes one instance of the field and consumes exactly the leaf slots that encode it.
/// </summary>
internal abstract class ParquetNode
{
    /// <summary>The first leaf beneath this node; its levels tell whether this instance is null, empty or repeated.</summary>
    public abstract LeafNode FirstLeaf { get; }

    public abstract void Write(Utf8JsonWriter writer);

    /// <summary>Consumes one instance that is null or empty at this level or above: one slot in every leaf beneath.</summary>
    public abstract void Skip();
}
