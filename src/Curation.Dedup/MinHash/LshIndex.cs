using System.Runtime.InteropServices;

namespace Curation.Dedup.MinHash;

/// <summary>
/// In-memory LSH buckets: documents whose keys (see <see cref="BandHasher"/>) are equal in some band are candidates.
/// </summary>
/// <remarks>
/// Memory per document: 4 bytes for its index plus 8 per band (76 bytes at 9 bands), and up to as much again while
/// the lists grow. Buckets are formed by sorting when <see cref="CandidatePairs"/> runs, which needs 12 bytes per
/// document for one band at a time plus 8 bytes per pair it finds.
/// </remarks>
public sealed class LshIndex
{
    private readonly List<int> _documents = [];
    private readonly List<ulong>[] _keys;

    public LshIndex(int bands)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bands, 1);
        _keys = new List<ulong>[bands];
        for (var band = 0; band < bands; band++)
        {
            _keys[band] = [];
        }
    }

    public int Bands => _keys.Length;

    /// <summary>Documents added so far.</summary>
    public int Count => _documents.Count;

    /// <exception cref="ArgumentOutOfRangeException"><paramref name="document"/> is negative.</exception>
    /// <exception cref="ArgumentException"><paramref name="bandKeys"/> does not hold one key per band.</exception>
    public void Add(int document, ReadOnlySpan<ulong> bandKeys)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(document);
        if (bandKeys.Length != Bands)
        {
            throw new ArgumentException($"needs {Bands} band keys, has {bandKeys.Length}", nameof(bandKeys));
        }

        _documents.Add(document);
        for (var band = 0; band < Bands; band++)
        {
            _keys[band].Add(bandKeys[band]);
        }
    }

    /// <summary>
    /// Every unordered pair of distinct documents that share a bucket in at least one band, once, ordered by
    /// (<see cref="CandidatePair.First"/>, <see cref="CandidatePair.Second"/>). A bucket of m documents yields
    /// m(m − 1)/2 pairs, so a large cluster of exact copies is best removed before this runs.
    /// </summary>
    public IReadOnlyList<CandidatePair> CandidatePairs()
    {
        var pairs = new List<ulong>();
        var keys = new ulong[Count];
        var documents = new int[Count];
        foreach (var bandKeys in _keys)
        {
            CollectionsMarshal.AsSpan(bandKeys).CopyTo(keys);
            CollectionsMarshal.AsSpan(_documents).CopyTo(documents);
            Array.Sort(keys, documents);
            for (var start = 0; start < keys.Length;)
            {
                var end = start + 1;
                while (end < keys.Length && keys[end] == keys[start])
                {
                    end++;
                }

                AddBucketPairs(documents.AsSpan(start, end - start), pairs);
                start = end;
            }
        }

        var packed = CollectionsMarshal.AsSpan(pairs);
        packed.Sort();
        var result = new List<CandidatePair>(packed.Length);
        for (var i = 0; i < packed.Length; i++)
        {
            if (i == 0 || packed[i] != packed[i - 1])
            {
                result.Add(new CandidatePair((int)(packed[i] >> 32), (int)(uint)packed[i]));
            }
        }

        return result;
    }

    // A pair packs into one ulong, smaller index high, so sorting the ulongs orders the pairs.
    private static void AddBucketPairs(ReadOnlySpan<int> bucket, List<ulong> pairs)
    {
        for (var i = 0; i < bucket.Length; i++)
        {
            for (var j = i + 1; j < bucket.Length; j++)
            {
                var (first, second) = bucket[i] < bucket[j] ? (bucket[i], bucket[j]) : (bucket[j], bucket[i]);
                if (first != second)
                {
                    pairs.Add(((ulong)first << 32) | (uint)second);
                }
            }
        }
    }
}
