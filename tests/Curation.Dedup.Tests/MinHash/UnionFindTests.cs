using Curation.Dedup.MinHash;

namespace Curation.Dedup.Tests.MinHash;

public class UnionFindTests
{
    [Fact]
    public void Find_StartsWithEveryIdAlone()
    {
        var sets = new UnionFind(4);

        Assert.Equal([0, 1, 2, 3], Enumerable.Range(0, 4).Select(sets.Find));
    }

    [Fact]
    public void Union_NamesTheSetByItsSmallestId_WhateverTheOrder()
    {
        var sets = new UnionFind(10);

        Assert.True(sets.Union(9, 8));
        Assert.True(sets.Union(7, 6));
        Assert.True(sets.Union(8, 6));
        Assert.True(sets.Union(5, 9));
        Assert.False(sets.Union(6, 5));

        Assert.All(new[] { 5, 6, 7, 8, 9 }, id => Assert.Equal(5, sets.Find(id)));
        Assert.All(new[] { 0, 1, 2, 3, 4 }, id => Assert.Equal(id, sets.Find(id)));
    }

    [Fact]
    public void Union_SmallSetJoiningABigOne_TakesTheSmallerId()
    {
        var sets = new UnionFind(6);
        sets.Union(3, 4);
        sets.Union(4, 5);

        sets.Union(5, 1);

        Assert.All(new[] { 1, 3, 4, 5 }, id => Assert.Equal(1, sets.Find(id)));
    }

    [Fact]
    public void Find_AgreesWithNaiveRelabelling_ForAnyUnionOrder()
    {
        const int Count = 300;
        var random = new Random(11);
        var edges = Enumerable.Range(0, 250).Select(_ => (random.Next(Count), random.Next(Count))).ToArray();
        var naive = Enumerable.Range(0, Count).ToArray();
        foreach (var (a, b) in edges)
        {
            var (keep, drop) = (Math.Min(naive[a], naive[b]), Math.Max(naive[a], naive[b]));
            for (var id = 0; id < Count; id++)
            {
                naive[id] = naive[id] == drop ? keep : naive[id];
            }
        }

        for (var shuffle = 0; shuffle < 5; shuffle++)
        {
            var sets = new UnionFind(Count);
            foreach (var (a, b) in edges.OrderBy(_ => random.Next()))
            {
                sets.Union(b, a);
            }

            Assert.Equal(naive, Enumerable.Range(0, Count).Select(sets.Find));
        }
    }

    [Fact]
    public void Find_RejectsIdsOutsideTheSet()
    {
        var sets = new UnionFind(3);

        Assert.Throws<ArgumentOutOfRangeException>(() => sets.Find(3));
        Assert.Throws<ArgumentOutOfRangeException>(() => sets.Union(-1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new UnionFind(-1));
    }
}
