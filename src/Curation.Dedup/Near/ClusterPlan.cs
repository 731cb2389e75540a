using Curation.Dedup.MinHash;

namespace Curation.Dedup.Near;

/// <summary>
/// The outcome of clustering: for each document, the member of its cluster that is kept, the cluster's size, and
/// the exact Jaccard similarity to the kept member.
/// </summary>
internal sealed class ClusterPlan
{
    private readonly int[] _kept;
    private readonly int[] _size;
    private readonly double[] _similarity;

    private ClusterPlan(int[] kept, int[] size, double[] similarity)
    {
        _kept = kept;
        _size = size;
        _similarity = similarity;
    }

    public int KeptMemberOf(int document) => _kept[document];

    public int ClusterSizeOf(int document) => _size[document];

    public double SimilarityToKept(int document) => _similarity[document];

    public int Clusters { get; private init; }

    public int Dropped { get; private init; }

    /// <summary>Union-find over the pairs whose Jaccard reaches the threshold, then one kept member per cluster.</summary>
    /// <param name="count">Documents, numbered in input order.</param>
    /// <param name="pairs">Candidate pairs from LSH.</param>
    /// <param name="isDuplicate">Whether a candidate pair is a duplicate (exact Jaccard, or always true without verification).</param>
    /// <param name="similarity">Exact Jaccard of two documents, for the reject detail.</param>
    /// <param name="prefer">Whether the first document should be kept over the second (the second comes later in input order).</param>
    public static ClusterPlan Build(
        int count,
        IReadOnlyList<CandidatePair> pairs,
        Func<CandidatePair, bool> isDuplicate,
        Func<int, int, double> similarity,
        Func<int, int, bool> prefer,
        int workers)
    {
        var duplicate = new bool[pairs.Count];
        Parallel.For(0, pairs.Count, new ParallelOptions { MaxDegreeOfParallelism = workers }, i => duplicate[i] = isDuplicate(pairs[i]));

        var sets = new UnionFind(count);
        for (var i = 0; i < pairs.Count; i++)
        {
            if (duplicate[i])
            {
                sets.Union(pairs[i].First, pairs[i].Second);
            }
        }

        var kept = new int[count];
        var size = new int[count];
        var roots = new int[count];
        for (var document = 0; document < count; document++)
        {
            var root = sets.Find(document);
            roots[document] = root;
            size[root]++;
            kept[root] = document == root || prefer(document, kept[root]) ? document : kept[root];
        }

        var similarities = new double[count];
        var clusters = 0;
        var dropped = 0;
        for (var document = 0; document < count; document++)
        {
            var root = roots[document];
            kept[document] = kept[root];
            size[document] = size[root];
            if (document == root && size[root] > 1)
            {
                clusters++;
            }

            if (kept[document] != document)
            {
                dropped++;
            }
        }

        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = workers }, document =>
            similarities[document] = kept[document] == document ? 1.0 : similarity(document, kept[document]));
        return new ClusterPlan(kept, size, similarities) { Clusters = clusters, Dropped = dropped };
    }
}
