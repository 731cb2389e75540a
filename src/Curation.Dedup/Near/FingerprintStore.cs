using System.Runtime.InteropServices;
using Curation.Dedup.MinHash;

namespace Curation.Dedup.Near;

/// <summary>
/// Each document's band keys and compared shingle set (<see cref="ComparedShingles"/>), appended to a temporary file
/// and read back by document index, so that only the documents being compared are ever in memory. In memory: 8 bytes
/// per document and the append buffer. Deleted on dispose.
/// </summary>
/// <remarks>
/// Appends go through the log's buffer: one write call for every few dozen documents, not two for each (those calls
/// took two thirds of the single thread that adds documents in input order while the workers fingerprint).
/// </remarks>
internal sealed class FingerprintStore : IShingleSets, IDisposable
{
    private const int AppendBufferBytes = 1 << 20;

    private readonly ScratchLog _log = new("fingerprints", AppendBufferBytes);
    private readonly ChunkedList<long> _offsets = new();
    private readonly int _bands;
    private uint[] _compared = [];

    public FingerprintStore(int bands)
    {
        _bands = bands;
        _offsets.Add(0);
    }

    public int Count => _offsets.Count - 1;

    /// <summary>Bytes written so far.</summary>
    public long Length => _offsets[_offsets.Count - 1];

    /// <summary>Stores the next document's fingerprint (its shingle set ascending and distinct); returns its index.</summary>
    public int Add(ReadOnlySpan<ulong> bandKeys, ReadOnlySpan<ulong> shingles)
    {
        if (bandKeys.Length != _bands)
        {
            throw new ArgumentException($"needs {_bands} band keys, has {bandKeys.Length}", nameof(bandKeys));
        }

        if (_compared.Length < shingles.Length)
        {
            _compared = new uint[Math.Max(shingles.Length, 2 * _compared.Length)];
        }

        var compared = _compared.AsSpan(0, ComparedShingles.Write(shingles, _compared));
        _log.Append(MemoryMarshal.AsBytes(bandKeys));
        _offsets.Add(_log.Append(MemoryMarshal.AsBytes(compared)) + (compared.Length * sizeof(uint)));
        return Count - 1;
    }

    /// <summary>The compared shingle set of document <paramref name="index"/>. Safe to call from several threads once adding is over.</summary>
    public uint[] Shingles(int index)
    {
        var shingles = new uint[ShingleCount(index)];
        ReadShingles(index, shingles);
        return shingles;
    }

    /// <summary>How many values the compared shingle set of document <paramref name="document"/> has.</summary>
    public int ShingleCount(int document) => (int)((_offsets[document + 1] - _offsets[document] - (_bands * sizeof(ulong))) / sizeof(uint));

    /// <summary>Reads the compared shingle set of document <paramref name="document"/> into <paramref name="destination"/>, which holds exactly <see cref="ShingleCount"/>. Safe to call from several threads once adding is over.</summary>
    public void ReadShingles(int document, Span<uint> destination)
    {
        if (destination.Length != ShingleCount(document))
        {
            throw new ArgumentException($"document {document} has {ShingleCount(document)} shingles, the destination holds {destination.Length}", nameof(destination));
        }

        _log.Read(_offsets[document] + (_bands * sizeof(ulong)), MemoryMarshal.AsBytes(destination));
    }

    /// <summary>The band keys of document <paramref name="index"/>. Safe to call from several threads once adding is over.</summary>
    public ulong[] BandKeys(int index)
    {
        var keys = new ulong[_bands];
        _log.Read(_offsets[index], MemoryMarshal.AsBytes(keys.AsSpan()));
        return keys;
    }

    public void Dispose()
    {
        _log.Dispose();
    }
}
