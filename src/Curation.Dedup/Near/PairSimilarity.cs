using Curation.Dedup.MinHash;

namespace Curation.Dedup.Near;

/// <summary>
/// Exact Jaccard similarity of many document pairs whose shingle sets live on disk. Pairs are taken in chunks; each
/// chunk loads the sets it needs once, compares them on every worker and lets them go, so memory is bounded by the
/// chunk, not by the number of documents that have a near-duplicate.
/// </summary>
internal sealed class PairSimilarity(Func<int, ulong[]> shingles, int workers, CancellationToken cancellationToken)
{
    /// <summary>Pairs per chunk: at 2 KB per shingle set, at most 128 MB of sets at once.</summary>
    public const int ChunkPairs = 32_768;

    /// <summary>Calls <paramref name="result"/> with each pair's index and similarity, from several threads.</summary>
    public void Compute(IReadOnlyList<CandidatePair> pairs, Action<int, double> result)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        ArgumentNullException.ThrowIfNull(result);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = workers, CancellationToken = cancellationToken };
        for (var start = 0; start < pairs.Count; start += ChunkPairs)
        {
            var end = Math.Min(pairs.Count, start + ChunkPairs);
            var documents = new SortedSet<int>();
            for (var i = start; i < end; i++)
            {
                documents.Add(pairs[i].First);
                documents.Add(pairs[i].Second);
            }

            var ids = documents.ToArray();
            var loaded = new ulong[ids.Length][];
            Parallel.For(0, ids.Length, parallel, i => loaded[i] = shingles(ids[i]));
            var sets = new Dictionary<int, ulong[]>(ids.Length);
            for (var i = 0; i < ids.Length; i++)
            {
                sets.Add(ids[i], loaded[i]);
            }

            Parallel.For(start, end, parallel, i => result(i, Jaccard.Of(sets[pairs[i].First], sets[pairs[i].Second])));
        }
    }
}
