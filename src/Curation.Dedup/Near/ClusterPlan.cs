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

    // Only dropped documents are not their cluster's kept member; their similarities, by document, ascending.
    private readonly int[] _dropped;
    private readonly double[] _droppedSimilarity;

    private ClusterPlan(int[] kept, int[] size, int[] dropped, double[] droppedSimilarity)
    {
        _kept = kept;
        _size = size;
        _dropped = dropped;
        _droppedSimilarity = droppedSimilarity;
    }

    public int KeptMemberOf(int document) => _kept[document];

    public int ClusterSizeOf(int document) => _size[document];

    public double SimilarityToKept(int document) =>
        _kept[document] == document ? 1.0 : _droppedSimilarity[Array.BinarySearch(_dropped, document)];

    public int Clusters { get; private init; }

    public int Dropped { get; private init; }

    /// <summary>Candidate pairs from LSH, counted once per band that found them.</summary>
    public long CandidatePairs { get; private init; }

    /// <summary>Candidate pairs compared by exact Jaccard: those not already joined by earlier pairs, nor too different in size to reach the threshold.</summary>
    public long Compared { get; private init; }

    /// <summary>
    /// Union-find over the candidate pairs whose Jaccard reaches the threshold, then one kept member per cluster.
    /// Pairs are taken in chunks as they stream in; a pair whose documents are already in one cluster is not compared
    /// again, so a large cluster costs about one comparison per member, and a pair whose sets differ too much in size
    /// to reach the threshold is not read at all. The clusters are the connected components of the duplicate pairs,
    /// whatever order the pairs come in.
    /// </summary>
    /// <param name="count">Documents, numbered in input order.</param>
    /// <param name="candidates">Candidate pairs from LSH, repeats allowed.</param>
    /// <param name="similarity">Exact Jaccard of document pairs.</param>
    /// <param name="threshold">Jaccard at or above which a candidate pair is a duplicate; null: every candidate is one (no verification).</param>
    /// <param name="prefer">Whether the first document should be kept over the second (the second comes later in input order).</param>
    /// <param name="progress">Called after each chunk with the candidate pairs found and compared so far.</param>
    public static ClusterPlan Build(
        int count,
        IEnumerable<CandidatePair> candidates,
        PairSimilarity similarity,
        double? threshold,
        Func<int, int, bool> prefer,
        Action<long, long>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(similarity);
        ArgumentNullException.ThrowIfNull(prefer);

        // The union-find arrays are let go once each document's cluster is known: only two arrays stay per document.
        var (roots, found, compared) = Components(count, candidates, similarity, threshold, progress);
        var kept = new int[count];
        var size = new int[count];
        for (var document = 0; document < count; document++)
        {
            var root = roots[document];
            size[root]++;
            kept[root] = document == root || prefer(document, kept[root]) ? document : kept[root];
        }

        // A root is its cluster's smallest document, so it is final before any later member copies from it.
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

        var droppedDocuments = new int[dropped];
        var droppedPairs = new List<CandidatePair>(dropped);
        for (int document = 0, next = 0; document < count; document++)
        {
            if (kept[document] != document)
            {
                droppedDocuments[next++] = document;
                droppedPairs.Add(new CandidatePair(Math.Min(document, kept[document]), Math.Max(document, kept[document])));
            }
        }

        var similarities = new double[dropped];
        similarity.Compute(droppedPairs, (i, jaccard) => similarities[i] = jaccard);
        return new ClusterPlan(kept, size, droppedDocuments, similarities) { Clusters = clusters, Dropped = dropped, CandidatePairs = found, Compared = compared };
    }

    /// <summary>
    /// The verified candidate pairs that join two clusters, each as it joins them (<paramref name="joined"/>), with
    /// the union-find and the comparisons <see cref="Build"/> makes: a spanning forest of the duplicate pairs, at most
    /// <paramref name="count"/> − 1 of them. Its connected components are those of every duplicate pair, since a pair
    /// left out joined documents already joined, so <see cref="Build"/> over the forests of several tasks, each over
    /// some of the candidates, with no threshold (they are verified), gives the clusters of one <see cref="Build"/>
    /// over all the candidates.
    /// </summary>
    /// <returns>The candidate pairs found and those compared.</returns>
    public static (long Found, long Compared) SpanningPairs(
        int count, IEnumerable<CandidatePair> candidates, PairSimilarity similarity, double? threshold, Action<CandidatePair> joined)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(similarity);
        ArgumentNullException.ThrowIfNull(joined);
        return Join(new UnionFind(count), candidates, similarity, threshold, null, joined);
    }

    /// <summary>Each document's cluster, named by its smallest document; and the candidate pairs found and compared.</summary>
    private static (int[] Roots, long Found, long Compared) Components(
        int count,
        IEnumerable<CandidatePair> candidates,
        PairSimilarity similarity,
        double? threshold,
        Action<long, long>? progress)
    {
        var sets = new UnionFind(count);
        var (found, compared) = Join(sets, candidates, similarity, threshold, progress, null);
        var roots = new int[count];
        for (var document = 0; document < count; document++)
        {
            roots[document] = sets.Find(document);
        }

        return (roots, found, compared);
    }

    /// <summary>Joins the duplicate pairs among the candidates in <paramref name="sets"/>; <paramref name="joined"/> hears each pair that joined two sets.</summary>
    private static (long Found, long Compared) Join(
        UnionFind sets,
        IEnumerable<CandidatePair> candidates,
        PairSimilarity similarity,
        double? threshold,
        Action<long, long>? progress,
        Action<CandidatePair>? joined)
    {
        var chunk = new List<CandidatePair>(PairSimilarity.ChunkPairs);
        var inChunk = new HashSet<CandidatePair>(PairSimilarity.ChunkPairs);
        var duplicate = new bool[PairSimilarity.ChunkPairs];
        long found = 0, compared = 0;
        void JoinChunk()
        {
            if (threshold is { } minimum)
            {
                similarity.Decide(chunk, minimum, (i, reaches) => duplicate[i] = reaches);
                compared += chunk.Count;
            }

            for (var i = 0; i < chunk.Count; i++)
            {
                if ((threshold is null || duplicate[i]) && sets.Union(chunk[i].First, chunk[i].Second))
                {
                    joined?.Invoke(chunk[i]);
                }
            }

            chunk.Clear();
            inChunk.Clear();
            progress?.Invoke(found, compared);
        }

        foreach (var pair in candidates)
        {
            found++;
            if (sets.Find(pair.First) != sets.Find(pair.Second) && (threshold is not { } least || similarity.CanReach(pair, least)) && inChunk.Add(pair))
            {
                chunk.Add(pair);
                if (chunk.Count == PairSimilarity.ChunkPairs)
                {
                    JoinChunk();
                }
            }
        }

        JoinChunk();
        return (found, compared);
    }
}
