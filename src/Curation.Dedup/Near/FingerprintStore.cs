using System.Runtime.InteropServices;

namespace Curation.Dedup.Near;

/// <summary>
/// Each document's band keys and sorted shingle set, appended to a temporary file and read back by document index,
/// so that only the documents being compared are ever in memory. In memory: 8 bytes per document and the append
/// buffer. Deleted on dispose.
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

    public FingerprintStore(int bands)
    {
        _bands = bands;
        _offsets.Add(0);
    }

    public int Count => _offsets.Count - 1;

    /// <summary>Bytes written so far.</summary>
    public long Length => _offsets[_offsets.Count - 1];

    /// <summary>Stores the next document's fingerprint; returns its index.</summary>
    public int Add(ReadOnlySpan<ulong> bandKeys, ReadOnlySpan<ulong> shingles)
    {
        if (bandKeys.Length != _bands)
        {
            throw new ArgumentException($"needs {_bands} band keys, has {bandKeys.Length}", nameof(bandKeys));
        }

        _log.Append(MemoryMarshal.AsBytes(bandKeys));
        _offsets.Add(_log.Append(MemoryMarshal.AsBytes(shingles)) + (shingles.Length * sizeof(ulong)));
        return Count - 1;
    }

    /// <summary>The shingle set of document <paramref name="index"/>. Safe to call from several threads once adding is over.</summary>
    public ulong[] Shingles(int index)
    {
        var start = _offsets[index] + (_bands * sizeof(ulong));
        return Read(start, (int)((_offsets[index + 1] - start) / sizeof(ulong)));
    }

    /// <summary>How many shingles document <paramref name="document"/> has.</summary>
    public int ShingleCount(int document) => (int)(((_offsets[document + 1] - _offsets[document]) / sizeof(ulong)) - _bands);

    /// <summary>Reads the shingle set of document <paramref name="document"/> into <paramref name="destination"/>, which holds exactly <see cref="ShingleCount"/>. Safe to call from several threads once adding is over.</summary>
    public void ReadShingles(int document, Span<ulong> destination)
    {
        if (destination.Length != ShingleCount(document))
        {
            throw new ArgumentException($"document {document} has {ShingleCount(document)} shingles, the destination holds {destination.Length}", nameof(destination));
        }

        Read(_offsets[document] + (_bands * sizeof(ulong)), destination);
    }

    /// <summary>The band keys of document <paramref name="index"/>. Safe to call from several threads once adding is over.</summary>
    public ulong[] BandKeys(int index) => Read(_offsets[index], _bands);

    public void Dispose()
    {
        _log.Dispose();
    }

    private ulong[] Read(long offset, int count)
    {
        var values = new ulong[count];
        Read(offset, values);
        return values;
    }

    private void Read(long offset, Span<ulong> values) => _log.Read(offset, MemoryMarshal.AsBytes(values));
}
