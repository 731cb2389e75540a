using Curation.Dedup.MinHash;

namespace Curation.Dedup.Tests.MinHash;

public class JaccardTests
{
    [Theory]
    [InlineData(new ulong[] { 1, 2, 3 }, new ulong[] { 2, 3, 4 }, 0.5)]
    [InlineData(new ulong[] { 1, 2, 3 }, new ulong[] { 1, 2, 3 }, 1.0)]
    [InlineData(new ulong[] { 1, 2 }, new ulong[] { 3, 4 }, 0.0)]
    [InlineData(new ulong[] { 1, 2, 3, 4 }, new ulong[] { 4 }, 0.25)]
    [InlineData(new ulong[] { 5, 9, 12, ulong.MaxValue }, new ulong[] { 0, 9, 12, 13, ulong.MaxValue }, 0.5)]
    [InlineData(new ulong[] { 7 }, new ulong[0], 0.0)]
    [InlineData(new ulong[0], new ulong[0], 1.0)]
    public void Of_CountsSharedOverUnion(ulong[] a, ulong[] b, double expected)
    {
        Assert.Equal(expected, Jaccard.Of(a, b), 15);
        Assert.Equal(expected, Jaccard.Of(b, a), 15);
    }

    [Fact]
    public void Of_32BitSets_CountsSharedOverUnion_UpToTheLargestValue()
    {
        Assert.Equal(0.5, Jaccard.Of([5u, 9, 12, uint.MaxValue], [0u, 9, 12, 13, uint.MaxValue]), 15);
        Assert.Equal(1.0, Jaccard.Of(ReadOnlySpan<uint>.Empty, ReadOnlySpan<uint>.Empty));
        Assert.Equal(0.0, Jaccard.Of([7u], ReadOnlySpan<uint>.Empty));
    }

    [Fact]
    public void Of_MatchesSetArithmetic()
    {
        var random = new Random(5);
        for (var trial = 0; trial < 50; trial++)
        {
            var a = Enumerable.Range(0, random.Next(1, 60)).Select(_ => (ulong)random.Next(100)).Distinct().Order().ToArray();
            var b = Enumerable.Range(0, random.Next(1, 60)).Select(_ => (ulong)random.Next(100)).Distinct().Order().ToArray();

            var expected = (double)a.Intersect(b).Count() / a.Union(b).Count();
            Assert.Equal(expected, Jaccard.Of(a, b), 15);
        }
    }

    [Fact]
    public void Reaches_AgreesWithComparingOf_AtEveryThreshold_AndExactlyAtTheSimilarityItself()
    {
        var random = new Random(11);
        double[] thresholds = [0, 0.1, 0.5, 0.7, 0.8, 0.85, 0.9, 0.95, 1.0, 1.5];
        for (var trial = 0; trial < 400; trial++)
        {
            // Sets from one pool, so that overlaps range from none to identical, and sizes from empty to a few hundred.
            var pool = random.Next(1, 400);
            var a = Enumerable.Range(0, random.Next(0, 300)).Select(_ => (ulong)random.Next(pool)).Distinct().Order().ToArray();
            var b = trial % 3 == 0
                ? a.Where(_ => random.NextDouble() < 0.9).Concat(Enumerable.Range(0, random.Next(0, 20)).Select(_ => (ulong)random.Next(pool, pool + 50))).Distinct().Order().ToArray()
                : Enumerable.Range(0, random.Next(0, 300)).Select(_ => (ulong)random.Next(pool)).Distinct().Order().ToArray();
            var similarity = Jaccard.Of(a, b);
            var (narrowA, narrowB) = (a.Select(value => (uint)value).ToArray(), b.Select(value => (uint)value).ToArray());
            Assert.Equal(similarity, Jaccard.Of(narrowA, narrowB));
            foreach (var threshold in thresholds.Append(similarity).Append(Math.BitIncrement(similarity)).Append(Math.BitDecrement(similarity)))
            {
                Assert.True(
                    Jaccard.Reaches(a, b, threshold) == similarity >= threshold && Jaccard.Reaches(b, a, threshold) == similarity >= threshold,
                    $"sets of {a.Length} and {b.Length}, Jaccard {similarity:R}, threshold {threshold:R}");
                Assert.True(
                    Jaccard.Reaches(narrowA, narrowB, threshold) == similarity >= threshold && Jaccard.Reaches(narrowB, narrowA, threshold) == similarity >= threshold,
                    $"32-bit sets of {a.Length} and {b.Length}, Jaccard {similarity:R}, threshold {threshold:R}");
            }
        }
    }

    [Theory]
    [InlineData(5, 5, 0.8, 5)] // 4 of 5 shared is a union of 6: 0.667
    [InlineData(10, 10, 0.8, 9)] // 9 shared of a union of 11: 0.818; 8 of 12: 0.667
    [InlineData(4, 5, 0.8, 4)] // a subset exactly at the threshold
    [InlineData(3, 4, 0.8, 4)] // cannot reach it: one more than the smaller size
    [InlineData(7, 9, 0, 0)]
    public void LeastShared_IsTheFewestSharedValuesThatReachTheThreshold(int sizeA, int sizeB, double threshold, int expected)
    {
        Assert.Equal(expected, Jaccard.LeastShared(sizeA, sizeB, threshold));
    }

    [Fact]
    public void Estimate_IsTheFractionOfAgreeingPositions()
    {
        Assert.Equal(0.75, Jaccard.Estimate([1, 2, 3, 4], [1, 2, 0, 4]));
        Assert.Equal(1, Jaccard.Estimate([9], [9]));
        Assert.Throws<ArgumentException>(() => Jaccard.Estimate([1, 2], [1]));
        Assert.Throws<ArgumentException>(() => Jaccard.Estimate([], []));
    }
}
