using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Curation.Core;
using Curation.Core.Files;
using Curation.Dedup.MinHash;
using Microsoft.Win32.SafeHandles;

namespace Curation.Dedup.Near.Sharded;

/// <summary>
/// Every shard's fingerprints as one process's documents: shard by shard, in input order, less the records an earlier
/// stage resolved across shards rejects before this one (exact-dedup's later occurrences), so that document numbers
/// are the single process's. Shingle sets and labels are read from the shards' files by document; in memory per
/// document: where its shingles and label lie (20 bytes), what <c>keep</c> ranks by, and 4 bytes while clustering.
/// </summary>
internal sealed class ShardedFingerprints : IShingleSets, IDocumentLabels, IDisposable
{
    private readonly FingerprintExchange _exchange;
    private readonly int[] _firstDocument;
    private readonly int[][] _documentOf;
    private readonly ChunkedList<long> _shingleStart = new();
    private readonly ChunkedList<int> _shingleCount = new();
    private readonly ChunkedList<long> _labelStart = new();
    private readonly SafeFileHandle[] _shingles;
    private readonly SafeFileHandle[] _labels;

    private ShardedFingerprints(FingerprintExchange exchange, KeepPolicy keep)
    {
        _exchange = exchange;
        _firstDocument = new int[exchange.Shards + 1];
        _documentOf = new int[exchange.Shards][];
        _shingles = new SafeFileHandle[exchange.Shards];
        _labels = new SafeFileHandle[exchange.Shards];
        Ranking = new RankingFacts(keep);
    }

    public int Count => _firstDocument[^1];

    public RankingFacts Ranking { get; }

    /// <summary>Each shard's summary, as its task wrote it.</summary>
    public IReadOnlyList<ShardSummary> Summaries { get; private set; } = [];

    /// <param name="excluded">Per shard, the sequences of records a stage before this one rejects in the step that applies the decisions.</param>
    /// <exception cref="CurationException">A shard's fingerprints are missing or cut short.</exception>
    public static ShardedFingerprints Load(FingerprintExchange exchange, IReadOnlyList<IReadOnlySet<long>> excluded, KeepPolicy keep)
    {
        ArgumentNullException.ThrowIfNull(exchange);
        ArgumentNullException.ThrowIfNull(excluded);
        var loaded = new ShardedFingerprints(exchange, keep);
        try
        {
            loaded.Read(excluded);
        }
        catch
        {
            loaded.Dispose();
            throw;
        }

        return loaded;
    }

    /// <summary>The shard of document <paramref name="document"/>.</summary>
    public int ShardOf(int document)
    {
        var at = Array.BinarySearch(_firstDocument, document);
        if (at < 0)
        {
            return ~at - 1;
        }

        // Empty shards share their first document with the next one.
        while (_firstDocument[at + 1] == document)
        {
            at++;
        }

        return at;
    }

    /// <summary>Document <paramref name="document"/>'s number in its shard (among the records that reach the stage there).</summary>
    public int LocalOf(int document) => document - _firstDocument[ShardOf(document)];

    public int ShingleCount(int document) => _shingleCount[document];

    public void ReadShingles(int document, Span<uint> destination)
    {
        if (destination.Length != ShingleCount(document))
        {
            throw new ArgumentException($"document {document} has {ShingleCount(document)} shingles, the destination holds {destination.Length}", nameof(destination));
        }

        ReadFully(_shingles[ShardOf(document)], MemoryMarshal.AsBytes(destination), _shingleStart[document]);
    }

    public string Id(int document) => Label(document).Id;

    public (string Id, string Source) Label(int document)
    {
        var file = _labels[ShardOf(document)];
        var offset = _labelStart[document];
        var id = ReadText(file, ref offset);
        return (id, ReadText(file, ref offset));
    }

    /// <summary>Band <paramref name="band"/>'s entries of every shard, in key order then shard order, numbered as documents here.</summary>
    public LshIndex.IBandCursor OpenBand(int band)
    {
        var partition = _exchange.PartitionOf(band);
        var cursors = new List<LshIndex.IBandCursor>(_exchange.Shards);
        for (var shard = 0; shard < _exchange.Shards; shard++)
        {
            var documents = _documentOf[shard];
            cursors.Add(new ShardBandCursor(
                _exchange.BandsFile(partition, shard), FingerprintExchange.BandOffset(band, _exchange.Partitions, documents.Length), documents.Length, documents));
        }

        return cursors.Count == 1 ? cursors[0] : LshIndex.Merge(cursors);
    }

    public void Dispose()
    {
        foreach (var handle in _shingles.Concat(_labels))
        {
            handle?.Dispose();
        }
    }

    private void Read(IReadOnlyList<IReadOnlySet<long>> excluded)
    {
        var summaries = new ShardSummary[_exchange.Shards];
        var document = 0;
        var entry = new byte[FingerprintExchange.DocumentBytes];
        for (var shard = 0; shard < _exchange.Shards; shard++)
        {
            summaries[shard] = _exchange.SummaryOf(shard);
            var path = _exchange.DocumentsFile(shard);
            var documents = new int[summaries[shard].Documents];
            _firstDocument[shard] = document;
            using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16))
            {
                if (stream.Length != (long)documents.Length * FingerprintExchange.DocumentBytes)
                {
                    throw new CurationException($"{DisplayPath.For(path)}: holds {stream.Length} bytes, not {documents.Length} documents: remove {DisplayPath.For(_exchange.FingerprintedMarker(shard))} and rerun task {shard}");
                }

                long shingleStart = 0;
                for (var local = 0; local < documents.Length; local++)
                {
                    stream.ReadExactly(entry);
                    var sequence = BinaryPrimitives.ReadInt64LittleEndian(entry);
                    var labelStart = BinaryPrimitives.ReadInt64LittleEndian(entry.AsSpan(8));
                    var shingles = BinaryPrimitives.ReadInt32LittleEndian(entry.AsSpan(16));
                    var contentLength = BinaryPrimitives.ReadInt32LittleEndian(entry.AsSpan(20));
                    var rank = BinaryPrimitives.ReadDoubleLittleEndian(entry.AsSpan(24));
                    if (shard < excluded.Count && excluded[shard].Contains(sequence))
                    {
                        documents[local] = -1;
                    }
                    else
                    {
                        documents[local] = document++;
                        _shingleStart.Add(shingleStart);
                        _shingleCount.Add(shingles);
                        _labelStart.Add(labelStart);
                        Ranking.Add(contentLength, double.IsNaN(rank) ? null : rank);
                    }

                    shingleStart += shingles * (long)sizeof(uint);
                }

                // A file of another length was not written with these counts, or not with 4 bytes a value.
                var shinglesPath = _exchange.ShinglesFile(shard);
                if (new FileInfo(shinglesPath).Length is var shingleBytes && shingleBytes != shingleStart)
                {
                    throw new CurationException($"{DisplayPath.For(shinglesPath)}: holds {shingleBytes} bytes, not the {shingleStart} of its {documents.Length} documents' shingle sets: remove {DisplayPath.For(_exchange.FingerprintedMarker(shard))} and rerun task {shard}");
                }
            }

            _documentOf[shard] = documents;
            _shingles[shard] = File.OpenHandle(_exchange.ShinglesFile(shard));
            _labels[shard] = File.OpenHandle(_exchange.LabelsFile(shard));
        }

        _firstDocument[^1] = document;
        Summaries = summaries;
    }

    private static string ReadText(SafeFileHandle file, ref long offset)
    {
        Span<byte> length = stackalloc byte[sizeof(int)];
        ReadFully(file, length, offset);
        var chars = BinaryPrimitives.ReadInt32LittleEndian(length);
        var text = string.Create(chars, (File: file, Offset: offset + sizeof(int)), static (span, at) => ReadFully(at.File, MemoryMarshal.AsBytes(span), at.Offset));
        offset += sizeof(int) + (chars * (long)sizeof(char));
        return text;
    }

    private static void ReadFully(SafeFileHandle file, Span<byte> destination, long offset)
    {
        for (var read = 0; read < destination.Length;)
        {
            var bytes = RandomAccess.Read(file, destination[read..], offset + read);
            read += bytes > 0 ? bytes : throw new CurationException("a shard's fingerprints file was cut short while it was read: remove the work folder and run again");
        }
    }

    /// <summary>One shard's entries of one band, in key order, numbered as documents of every shard; records not among them skipped.</summary>
    private sealed class ShardBandCursor(string path, long offset, int entries, int[] documentOf) : LshIndex.IBandCursor
    {
        private readonly FileStream _stream = Open(path, offset);
        private readonly byte[] _buffer = new byte[FingerprintExchange.EntryBytes * 8192];
        private int _remaining = entries;
        private int _filled;
        private int _position;

        public ulong Key { get; private set; }

        public int Document { get; private set; }

        public bool MoveNext()
        {
            while (true)
            {
                if (_position == _filled)
                {
                    if (_remaining == 0)
                    {
                        return false;
                    }

                    var count = Math.Min(_remaining, _buffer.Length / FingerprintExchange.EntryBytes);
                    _filled = count * FingerprintExchange.EntryBytes;
                    try
                    {
                        _stream.ReadExactly(_buffer, 0, _filled);
                    }
                    catch (EndOfStreamException e)
                    {
                        throw new CurationException($"{DisplayPath.For(path)}: cut short: remove the work folder and run again", e);
                    }

                    _remaining -= count;
                    _position = 0;
                }

                var key = MemoryMarshal.Read<ulong>(_buffer.AsSpan(_position));
                var local = MemoryMarshal.Read<int>(_buffer.AsSpan(_position + sizeof(ulong)));
                _position += FingerprintExchange.EntryBytes;
                if (documentOf[local] >= 0)
                {
                    (Key, Document) = (key, documentOf[local]);
                    return true;
                }
            }
        }

        public void Dispose() => _stream.Dispose();

        private static FileStream Open(string path, long offset)
        {
            var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1);
            stream.Position = offset;
            return stream;
        }
    }
}
