using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Curation.Core.Records;

namespace Curation.Dedup.Near;

/// <summary>
/// Each document's id and source, written to a temporary file and read back by document index: the stage needs them
/// only for the documents it names (the kept member of a cluster, the members in the clusters file, the records of
/// a saved index). In memory: 8 bytes per document. Text is kept as UTF-16, so any id reads back exactly.
/// </summary>
internal sealed class RecordLabels : IDocumentLabels, IDisposable
{
    private readonly ScratchLog _log = new("near-dedup-ids");
    private readonly ChunkedList<long> _offsets = new();

    public int Count => _offsets.Count;

    public void Add(string id, SourceRef source)
    {
        ArgumentNullException.ThrowIfNull(id);
        var where = source.ToString();
        var bytes = (2 * sizeof(int)) + ((id.Length + where.Length) * sizeof(char));
        var rented = ArrayPool<byte>.Shared.Rent(bytes);
        try
        {
            var span = rented.AsSpan(0, bytes);
            BinaryPrimitives.WriteInt32LittleEndian(span, id.Length);
            MemoryMarshal.AsBytes(id.AsSpan()).CopyTo(span[sizeof(int)..]);
            var rest = span[(sizeof(int) + (id.Length * sizeof(char)))..];
            BinaryPrimitives.WriteInt32LittleEndian(rest, where.Length);
            MemoryMarshal.AsBytes(where.AsSpan()).CopyTo(rest[sizeof(int)..]);
            _offsets.Add(_log.Append(span));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>The id of document <paramref name="document"/>.</summary>
    public string Id(int document) => ReadString(_offsets[document]);

    /// <summary>The id and the source (as text) of document <paramref name="document"/>.</summary>
    public (string Id, string Source) Label(int document)
    {
        var offset = _offsets[document];
        var id = ReadString(offset);
        return (id, ReadString(offset + sizeof(int) + (id.Length * sizeof(char))));
    }

    public void Dispose() => _log.Dispose();

    private string ReadString(long offset)
    {
        Span<byte> length = stackalloc byte[sizeof(int)];
        _log.Read(offset, length);
        return string.Create(BinaryPrimitives.ReadInt32LittleEndian(length), (Log: _log, Offset: offset + sizeof(int)), static (chars, at) =>
            at.Log.Read(at.Offset, MemoryMarshal.AsBytes(chars)));
    }
}
