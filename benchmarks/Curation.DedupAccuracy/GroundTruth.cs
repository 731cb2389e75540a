using System.Diagnostics;

namespace Curation.DedupAccuracy;

/// <summary>A pair of documents, <see cref="First"/> &lt; <see cref="Second"/>, and their exact Jaccard similarity.</summary>
internal readonly record struct ScoredPair(int First, int Second, double Jaccard)
{
    public ulong Key => Pack(First, Second);

    public static ulong Pack(int first, int second) => ((ulong)first << 32) | (uint)second;
}

/// <summary>
/// The exact Jaccard similarity of every pair of shingle sets. An inverted index (shingle → documents) enumerates only
/// the pairs that share at least one shingle and counts how many they share, c; then J = c / (|A| + |B| − c). Every
/// other pair has J = 0. Pairs at or above a minimum similarity are kept.
/// </summary>
internal sealed class GroundTruth
{
    private GroundTruth(List<ScoredPair> pairs, long sharing, TimeSpan elapsed)
    {
        Pairs = pairs;
        PairsSharingAShingle = sharing;
        Elapsed = elapsed;
    }

    /// <summary>Pairs with J ≥ the minimum, ordered by (First, Second).</summary>
    public List<ScoredPair> Pairs { get; }

    /// <summary>Pairs with J &gt; 0, all of which were scored.</summary>
    public long PairsSharingAShingle { get; }

    public TimeSpan Elapsed { get; }

    public static GroundTruth Compute(IReadOnlyList<ulong[]> sets, double minimum)
    {
        var clock = Stopwatch.StartNew();

        // Postings: every (shingle, document) sorted by shingle; each run of one shingle is a posting list, in document order.
        var total = sets.Sum(set => set.Length);
        var shingles = new ulong[total];
        var documents = new int[total];
        var at = 0;
        for (var d = 0; d < sets.Count; d++)
        {
            sets[d].CopyTo(shingles, at);
            documents.AsSpan(at, sets[d].Length).Fill(d);
            at += sets[d].Length;
        }

        Array.Sort(shingles, documents);
        var runStarts = new List<int>();
        var termsOf = sets.Select(set => new List<int>(set.Length)).ToArray();
        for (var start = 0; start < total;)
        {
            var end = start + 1;
            while (end < total && shingles[end] == shingles[start])
            {
                end++;
            }

            documents.AsSpan(start, end - start).Sort();
            if (end - start > 1)
            {
                // A shingle in one document only adds to no pair.
                foreach (var d in documents.AsSpan(start, end - start))
                {
                    termsOf[d].Add(runStarts.Count);
                }

                runStarts.Add(start);
            }

            start = end;
        }

        var runEnds = new int[runStarts.Count];
        for (var t = 0; t < runStarts.Count; t++)
        {
            var end = runStarts[t] + 1;
            while (end < total && shingles[end] == shingles[runStarts[t]])
            {
                end++;
            }

            runEnds[t] = end;
        }

        var pairs = new List<ScoredPair>();
        long sharing = 0;
        var gate = new Lock();
        Parallel.For(
            0,
            sets.Count,
            () => (Counts: new int[sets.Count], Touched: new List<int>(), Found: new List<ScoredPair>(), Sharing: 0L),
            (a, _, local) =>
            {
                foreach (var term in termsOf[a])
                {
                    // Postings are in document order: walk back from the end over the documents after a.
                    for (var p = runEnds[term] - 1; p >= runStarts[term] && documents[p] > a; p--)
                    {
                        if (local.Counts[documents[p]]++ == 0)
                        {
                            local.Touched.Add(documents[p]);
                        }
                    }
                }

                foreach (var b in local.Touched)
                {
                    var shared = local.Counts[b];
                    local.Counts[b] = 0;
                    var jaccard = (double)shared / (sets[a].Length + sets[b].Length - shared);
                    if (jaccard >= minimum)
                    {
                        local.Found.Add(new ScoredPair(a, b, jaccard));
                    }
                }

                local.Sharing += local.Touched.Count;
                local.Touched.Clear();
                return local;
            },
            local =>
            {
                lock (gate)
                {
                    pairs.AddRange(local.Found);
                    sharing += local.Sharing;
                }
            });

        pairs.Sort((x, y) => x.Key.CompareTo(y.Key));
        return new GroundTruth(pairs, sharing, clock.Elapsed);
    }
}
