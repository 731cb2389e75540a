using Curation.Dedup.MinHash;

namespace Curation.Dedup.Tests.MinHash;

public class HashSorterTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(63)]
    [InlineData(64)]
    [InlineData(65)]
    [InlineData(1000)]
    [InlineData(100_000)]
    public void ToSortedSet_RandomHashesWithRepeats_MatchesSortDistinct(int count)
    {
        var random = new Random(count);
        var values = Enumerable.Range(0, count).Select(_ => (ulong)random.NextInt64(long.MinValue, long.MaxValue)).ToArray();
        values = [.. values, .. values.Take(count / 3)];
        random.Shuffle(values);

        Assert.Equal(values.Distinct().Order(), HashSorter.ToSortedSet(values.ToArray()));
    }

    [Fact]
    public void ToSortedSet_ValuesSharingTheirTopBits_StillSort()
    {
        var random = new Random(2);
        var values = Enumerable.Range(0, 5000).Select(_ => (ulong)random.Next(3000)).ToArray();

        Assert.Equal(values.Distinct().Order(), HashSorter.ToSortedSet(values.ToArray()));
    }

    [Fact]
    public void ToSortedSet_OneValueRepeated_IsOneValue()
    {
        Assert.Equal([42UL], HashSorter.ToSortedSet(Enumerable.Repeat(42UL, 10_000).ToArray()));
    }

    [Fact]
    public void ToSortedSet_ExtremeValues()
    {
        ulong[] values = [.. Enumerable.Repeat(ulong.MaxValue, 40), .. Enumerable.Repeat(0UL, 40), 1UL << 63];

        Assert.Equal([0UL, 1UL << 63, ulong.MaxValue], HashSorter.ToSortedSet(values));
    }

    [Theory]
    [InlineData(10)]
    [InlineData(500)]
    public void ToSortedSet_IntoALongerSpan_WritesTheSetAtItsStartAndLeavesTheRest(int count)
    {
        var random = new Random(count);
        var values = Enumerable.Range(0, count).Select(_ => (ulong)random.Next(count / 2)).ToArray();
        var destination = Enumerable.Repeat(7UL, count + 5).ToArray();

        var size = HashSorter.ToSortedSet(values.ToArray(), destination);

        Assert.Equal(values.Distinct().Order(), destination[..size]);
        Assert.All(destination[count..], value => Assert.Equal(7UL, value));
    }

    [Fact]
    public void ToSortedSet_IntoAShorterSpan_Throws()
    {
        Assert.Throws<ArgumentException>(() => HashSorter.ToSortedSet(new ulong[10], new ulong[9]));
    }
}
