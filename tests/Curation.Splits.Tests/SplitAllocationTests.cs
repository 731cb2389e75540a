namespace Curation.Splits.Tests;

public sealed class SplitAllocationTests
{
    private static readonly decimal[] EightyTenTen = [0.8m, 0.1m, 0.1m];

    [Theory]
    // Quotas worked by hand: floors first, then the leftover records to the largest remainders, ties to the first split.
    [InlineData(10, new long[] { 8, 1, 1 })]
    [InlineData(37, new long[] { 29, 4, 4 })] // 29.6, 3.7, 3.7: floors 29+3+3 = 35, two left for the .7s
    [InlineData(13, new long[] { 11, 1, 1 })] // 10.4, 1.3, 1.3: one left, for the .4
    [InlineData(1, new long[] { 1, 0, 0 })] // 0.8, 0.1, 0.1
    [InlineData(2, new long[] { 2, 0, 0 })] // 1.6, 0.2, 0.2
    [InlineData(0, new long[] { 0, 0, 0 })]
    public void Targets_AreTheLargestRemainderCounts(long total, long[] expected) =>
        Assert.Equal(expected, SplitAllocation.Targets(total, EightyTenTen));

    [Fact]
    public void Targets_EqualRemainders_GoToTheSplitNamedFirst_AndAZeroShareGetsNothing()
    {
        Assert.Equal([1L, 1, 0], SplitAllocation.Targets(2, [0.5m, 0.5m, 0m]));
        Assert.Equal([2L, 1, 1], SplitAllocation.Targets(4, [1m / 3, 1m / 3, 1m / 3]));
        Assert.Equal([1L, 1, 1], SplitAllocation.Targets(3, [1m / 3, 1m / 3, 1m / 3]));
        Assert.Equal([0L, 5, 0], SplitAllocation.Targets(5, [0m, 1m, 0m]));
    }

    [Fact]
    public void Assign_SingleRecordGroups_MeetTheTargetsExactly_InOrder()
    {
        var splits = SplitAllocation.Assign([.. Enumerable.Repeat(1, 37)], [29, 4, 4]);

        Assert.Equal(Enumerable.Repeat(0, 29).Concat(Enumerable.Repeat(1, 4)).Concat(Enumerable.Repeat(2, 4)), splits);
    }

    [Fact]
    public void Assign_AGroupGoesWhereItsMiddleFalls()
    {
        // Records 0..9 cut at 8 and 9: a group of three at 6..8 has its middle at 7.5, before the cut at 8.
        Assert.Equal([0, 0, 0, 0, 0, 0, 0, 2], SplitAllocation.Assign([1, 1, 1, 1, 1, 1, 3, 1], [8, 1, 1]));
        // A group of four at 6..9 has its middle at 8: it falls in validation, and test stays empty.
        Assert.Equal([0, 0, 0, 0, 0, 0, 1], SplitAllocation.Assign([1, 1, 1, 1, 1, 1, 4], [8, 1, 1]));
        // Zero targets are skipped.
        Assert.Equal([0, 2, 2], SplitAllocation.Assign([1, 1, 1], [1, 0, 2]));
    }
}
