using Curation.Dedup.MinHash;

namespace Curation.Dedup.Tests.MinHash;

public class ComparedShinglesTests
{
    private const string Prose =
        "The committee met on Tuesday to review the budget for the coming year. Members agreed that the library needs "
        + "longer opening hours, and that the cost should come from the reserve rather than from higher fees. A vote on "
        + "the plan was put off until the treasurer could say how long the reserve would last at the present rate.";

    [Fact]
    public void Of_ARealShingleSet_IsItsDistinctHighHalves_Ascending()
    {
        var shingles = new Shingler().Shingle(new TextSimplifier(new SimplifyOptions()).Simplify(Prose));
        var expected = shingles.Select(shingle => (uint)(shingle >> 32)).Distinct().Order().ToArray();

        var compared = ComparedShingles.Of(shingles);

        Assert.True(shingles.Length > 40, $"the text should make a realistic set, made {shingles.Length}");
        Assert.Equal(expected, compared);
    }

    [Fact]
    public void Shingles_ThatShareTheirHighHalf_AreOneValue()
    {
        ulong[] shingles = [(1UL << 32) | 5, (1UL << 32) | 9, 2UL << 32, (7UL << 32) | uint.MaxValue];

        Assert.Equal([1u, 2u, 7u], ComparedShingles.Of(shingles));
        Assert.Empty(ComparedShingles.Of([]));
    }

    [Fact]
    public void Write_IntoTooSmallADestination_IsRefused()
    {
        ulong[] shingles = [1UL << 32, 2UL << 32];

        Assert.Throws<ArgumentException>(() => ComparedShingles.Write(shingles, new uint[1]));
    }

    [Fact]
    public void NearCopies_HaveTheSameSimilarity_ComparedByHighHalves_AsByWholeHashes()
    {
        var simplifier = new TextSimplifier(new SimplifyOptions());
        var shingler = new Shingler();
        var original = shingler.Shingle(simplifier.Simplify(Prose));
        string[] edits = [Prose.Replace("Tuesday", "Wednesday"), Prose.Replace("longer", "later"), Prose + " The meeting closed at nine.", Prose[..200]];
        foreach (var edited in edits)
        {
            var copy = shingler.Shingle(simplifier.Simplify(edited));

            Assert.Equal(Jaccard.Of(original, copy), Jaccard.Of(ComparedShingles.Of(original), ComparedShingles.Of(copy)));
        }
    }
}
