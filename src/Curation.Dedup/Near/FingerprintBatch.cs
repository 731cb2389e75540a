using System.Buffers;

namespace Curation.Dedup.Near;

/// <summary>
/// The fingerprints of one batch of records, made on a worker and handed to the thread that adds them in input order:
/// each record's band keys and shingle set lie in one pooled buffer, so a record costs no arrays of its own. Return
/// the buffer with <see cref="Dispose"/> once the fingerprints are stored.
/// </summary>
internal sealed class FingerprintBatch : IDisposable
{
    private readonly int _bands;
    private readonly Entry[] _entries;
    private ulong[] _values;
    private int _used;
    private int _reserved;

    /// <param name="expectedValues">Band keys and shingles the batch is expected to hold; it grows beyond if need be.</param>
    public FingerprintBatch(int records, int bands, int expectedValues)
    {
        _bands = bands;
        _entries = new Entry[records];
        _values = ArrayPool<ulong>.Shared.Rent(Math.Max(expectedValues, 1));
    }

    /// <summary>Records in the batch, with or without a fingerprint.</summary>
    public int Count => _entries.Length;

    /// <summary>
    /// Room for the next fingerprint: its band keys first, then its shingle set (up to <paramref name="maxShingles"/>).
    /// Valid until <see cref="Commit"/>.
    /// </summary>
    public Span<ulong> Reserve(int maxShingles)
    {
        var needed = _used + _bands + maxShingles;
        if (needed > _values.Length)
        {
            var grown = ArrayPool<ulong>.Shared.Rent(Math.Max(needed, 2 * _values.Length));
            _values.AsSpan(0, _used).CopyTo(grown);
            ArrayPool<ulong>.Shared.Return(_values);
            _values = grown;
        }

        _reserved = maxShingles;
        return _values.AsSpan(_used, _bands + maxShingles);
    }

    /// <summary>Takes what was written to the last <see cref="Reserve"/> as record <paramref name="record"/>'s fingerprint.</summary>
    public void Commit(int record, int shingles, int contentLength, double? rank)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(shingles, _reserved);
        _entries[record] = new Entry(true, _used, shingles, contentLength, rank);
        _used += _bands + shingles;
    }

    /// <summary>Whether record <paramref name="record"/> was fingerprinted (rejects are not).</summary>
    public bool Has(int record) => _entries[record].Fingerprinted;

    public ReadOnlySpan<ulong> BandKeys(int record) => _values.AsSpan(Present(record).Start, _bands);

    public ReadOnlySpan<ulong> Shingles(int record)
    {
        var entry = Present(record);
        return _values.AsSpan(entry.Start + _bands, entry.Shingles);
    }

    public int ContentLength(int record) => Present(record).ContentLength;

    public double? Rank(int record) => Present(record).Rank;

    public void Dispose()
    {
        if (_values.Length > 0)
        {
            ArrayPool<ulong>.Shared.Return(_values);
            _values = [];
        }
    }

    private Entry Present(int record) =>
        Has(record) ? _entries[record] : throw new InvalidOperationException($"record {record} of the batch has no fingerprint");

    /// <summary>Where a record's values start and how many shingles it has; the default entry is a record not fingerprinted.</summary>
    private readonly record struct Entry(bool Fingerprinted, int Start, int Shingles, int ContentLength, double? Rank);
}
