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
    public void Estimate_IsTheFractionOfAgreeingPositions()
    {
        Assert.Equal(0.75, Jaccard.Estimate([1, 2, 3, 4], [1, 2, 0, 4]));
        Assert.Equal(1, Jaccard.Estimate([9], [9]));
        Assert.Throws<ArgumentException>(() => Jaccard.Estimate([1, 2], [1]));
        Assert.Throws<ArgumentException>(() => Jaccard.Estimate([], []));
    }
}
