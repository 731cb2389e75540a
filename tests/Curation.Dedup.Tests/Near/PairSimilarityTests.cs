using Curation.Dedup.MinHash;
using Curation.Dedup.Near;

namespace Curation.Dedup.Tests.Near;

public sealed class PairSimilarityTests
{
    [Theory]
    [InlineData(4, 5, 0.8, true)] // a subset at exactly the threshold reaches it
    [InlineData(3, 4, 0.8, false)]
    [InlineData(9, 10, 0.9, true)]
    [InlineData(0, 0, 0.8, true)] // two empty sets are identical
    [InlineData(0, 3, 0.8, false)]
    public void CanReach_IsDecidedBySizesAlone_AndAgreesWithJaccardAtTheEdge(int smaller, int larger, double threshold, bool expected)
    {
        using var store = new FingerprintStore(bands: 1);
        // Shingle hashes that differ in their high halves, which are what documents are compared by.
        ulong[] largerSet = [.. Enumerable.Range(1, larger).Select(i => (ulong)i << 32)];
        store.Add([0UL], largerSet.AsSpan(0, smaller));
        store.Add([0UL], largerSet);
        var similarity = new PairSimilarity(store, workers: 1, CancellationToken.None);

        Assert.Equal(expected, similarity.CanReach(new CandidatePair(0, 1), threshold));
        Assert.Equal(expected, Jaccard.Of(largerSet.AsSpan(0, smaller), largerSet) >= threshold);
    }

    [Fact]
    public void Clusters_AreThoseOfEveryPairAtTheThreshold_WhilePairsTooDifferentInSizeAreNotCompared()
    {
        // Documents drawn from a few base sets, each with up to a quarter of its values dropped and a few replaced, so
        // that sizes and similarities spread around the threshold (a subset at 85% of its base is a near-duplicate).
        var random = new Random(17);
        var bases = Enumerable.Range(0, 6).Select(b => Enumerable.Range(0, 40 + (b * 15)).Select(i => (ulong)((b * 1000) + i)).ToArray()).ToArray();
        var documents = Enumerable.Range(0, 60).Select(_ =>
        {
            var basis = bases[random.Next(bases.Length)];
            var dropped = random.NextDouble() * 0.25;
            return basis.Where(_ => random.NextDouble() >= dropped).Select(value => random.NextDouble() < 0.02 ? value + 500 : value).Distinct().Order().Select(value => value << 32).ToArray();
        }).ToArray();
        using var store = new FingerprintStore(bands: 1);
        foreach (var document in documents)
        {
            store.Add([0UL], document);
        }

        const double threshold = 0.8;
        var pairs = new List<CandidatePair>();
        for (var first = 0; first < documents.Length; first++)
        {
            for (var second = first + 1; second < documents.Length; second++)
            {
                pairs.Add(new CandidatePair(first, second));
            }
        }

        var plan = ClusterPlan.Build(documents.Length, pairs, new PairSimilarity(store, workers: 2, CancellationToken.None), threshold, (_, _) => false);

        var expected = new UnionFind(documents.Length);
        foreach (var pair in pairs.Where(pair => Jaccard.Of(documents[pair.First], documents[pair.Second]) >= threshold))
        {
            expected.Union(pair.First, pair.Second);
        }

        for (var document = 0; document < documents.Length; document++)
        {
            var smallestMember = Enumerable.Range(0, documents.Length).First(other => expected.Find(other) == expected.Find(document));
            Assert.Equal(smallestMember, plan.KeptMemberOf(document));
        }

        Assert.True(plan.Dropped > 0, "the documents should hold near-duplicates");
        var tooDifferent = pairs.Count(pair => Math.Min(documents[pair.First].Length, documents[pair.Second].Length) < threshold * Math.Max(documents[pair.First].Length, documents[pair.Second].Length));
        Assert.True(tooDifferent > 0, "some pairs should differ too much in size");
        Assert.True(plan.Compared <= pairs.Count - tooDifferent, $"compared {plan.Compared} of {pairs.Count} pairs, {tooDifferent} of them too different in size");
    }
}
