using Curation.Dedup.MinHash;

namespace Curation.Dedup.Near;

/// <summary>
/// Exact Jaccard similarity of many document pairs whose shingle sets live on disk. Pairs are taken in chunks; each
/// chunk reads the sets it needs once into one buffer, compares them on every worker and reuses the buffer for the
/// next chunk, so memory is bounded by the chunk, not by the number of documents that have a near-duplicate, and the
/// sets never become garbage for the collector to chase.
/// </summary>
internal sealed class PairSimilarity(IShingleSets fingerprints, int workers, CancellationToken cancellationToken)
{
    /// <summary>Pairs per chunk: at 1 KB per compared shingle set, at most 64 MB of sets at once.</summary>
    public const int ChunkPairs = 32_768;

    private uint[] _sets = [];

    /// <summary>
    /// Whether the pair's similarity can reach <paramref name="threshold"/> at all, from the sets' sizes alone:
    /// |A ∩ B| / |A ∪ B| ≤ min(|A|, |B|) / max(|A|, |B|). The bound is rounded as
    /// <see cref="Jaccard.Of(ReadOnlySpan{uint}, ReadOnlySpan{uint})"/> rounds its ratio, and rounding keeps order, so
    /// no pair ruled out here would have reached the threshold when compared.
    /// </summary>
    public bool CanReach(CandidatePair pair, double threshold)
    {
        var (first, second) = (fingerprints.ShingleCount(pair.First), fingerprints.ShingleCount(pair.Second));
        var (smaller, larger) = first <= second ? (first, second) : (second, first);
        return larger == 0 || (double)smaller / larger >= threshold;
    }

    /// <summary>Calls <paramref name="result"/> with each pair's index and similarity, from several threads.</summary>
    public void Compute(IReadOnlyList<CandidatePair> pairs, Action<int, double> result)
    {
        ArgumentNullException.ThrowIfNull(result);
        Compare(pairs, (i, first, second) => result(i, Jaccard.Of(first, second)));
    }

    /// <summary>
    /// Calls <paramref name="result"/> with each pair's index and whether its similarity reaches
    /// <paramref name="threshold"/> (<see cref="Jaccard.Reaches(ReadOnlySpan{uint}, ReadOnlySpan{uint}, double)"/>:
    /// the same answer as comparing <see cref="Compute"/>'s, found sooner), from several threads.
    /// </summary>
    public void Decide(IReadOnlyList<CandidatePair> pairs, double threshold, Action<int, bool> result)
    {
        ArgumentNullException.ThrowIfNull(result);
        Compare(pairs, (i, first, second) => result(i, Jaccard.Reaches(first, second, threshold)));
    }

    private void Compare(IReadOnlyList<CandidatePair> pairs, Action<int, ReadOnlySpan<uint>, ReadOnlySpan<uint>> compare)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = workers, CancellationToken = cancellationToken };
        var documents = new int[2 * Math.Min(ChunkPairs, pairs.Count)];
        var starts = new long[documents.Length + 1];
        for (var start = 0; start < pairs.Count; start += ChunkPairs)
        {
            var end = Math.Min(pairs.Count, start + ChunkPairs);
            var count = 0;
            for (var i = start; i < end; i++)
            {
                documents[count++] = pairs[i].First;
                documents[count++] = pairs[i].Second;
            }

            Array.Sort(documents, 0, count);
            var distinct = 0;
            for (var i = 0; i < count; i++)
            {
                if (distinct == 0 || documents[distinct - 1] != documents[i])
                {
                    documents[distinct++] = documents[i];
                }
            }

            for (var i = 0; i < distinct; i++)
            {
                starts[i + 1] = starts[i] + fingerprints.ShingleCount(documents[i]);
            }

            if (_sets.Length < starts[distinct])
            {
                _sets = GC.AllocateUninitializedArray<uint>((int)Math.Min(Array.MaxLength, Math.Max(starts[distinct], _sets.Length * 3L / 2)));
            }

            var ids = documents.AsMemory(0, distinct);
            Parallel.For(0, distinct, parallel, i => fingerprints.ReadShingles(documents[i], _sets.AsSpan((int)starts[i], (int)(starts[i + 1] - starts[i]))));
            Parallel.For(start, end, parallel, i => compare(i, Set(ids.Span, pairs[i].First), Set(ids.Span, pairs[i].Second)));
        }

        ReadOnlySpan<uint> Set(ReadOnlySpan<int> ids, int document)
        {
            var at = ids.BinarySearch(document);
            return _sets.AsSpan((int)starts[at], (int)(starts[at + 1] - starts[at]));
        }
    }
}
