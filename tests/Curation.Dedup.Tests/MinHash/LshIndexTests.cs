using Curation.Dedup.MinHash;
using Curation.TestKit;

namespace Curation.Dedup.Tests.MinHash;

public class LshIndexTests
{
    [Fact]
    public void CandidatePairs_ListsEachBucketPairOnce_InOrder()
    {
        var index = new LshIndex(3);
        index.Add(5, [1, 10, 100]);
        index.Add(2, [1, 11, 101]);
        index.Add(9, [2, 10, 100]);
        index.Add(0, [3, 12, 101]);
        index.Add(7, [1, 13, 103]);

        var pairs = index.CandidatePairs();

        Assert.Equal([new(0, 2), new(2, 5), new(2, 7), new(5, 7), new(5, 9)], pairs);
    }

    [Fact]
    public void CandidatePairs_EqualKeysInDifferentBands_DoNotMatch()
    {
        var index = new LshIndex(2);
        index.Add(0, [1, 2]);
        index.Add(1, [2, 1]);

        Assert.Empty(index.CandidatePairs());
    }

    [Fact]
    public void CandidatePairs_EmptyOrSingleIndex_HasNone()
    {
        var index = new LshIndex(2);
        Assert.Empty(index.CandidatePairs());

        index.Add(0, [1, 2]);
        Assert.Empty(index.CandidatePairs());
        Assert.Equal(1, index.Count);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(500)]
    public void MemoryBudget_SpillsSortedRuns_AndFindsTheSamePairs(int documentsPerRun)
    {
        using var temp = new TempFolder();
        var random = new Random(3);
        var keys = Enumerable.Range(0, 400).Select(_ => new ulong[] { (ulong)random.Next(60), (ulong)random.Next(200), (ulong)random.Next(2) }).ToArray();
        using var unbounded = new LshIndex(3);
        using var budgeted = new LshIndex(3, documentsPerRun * LshIndex.BufferedBytesPerDocument(3), temp.Path);
        for (var document = 0; document < keys.Length; document++)
        {
            unbounded.Add(document, keys[document]);
            budgeted.Add(document, keys[document]);
        }

        var expected = unbounded.CandidatePairs();

        Assert.Equal(400 / documentsPerRun, budgeted.SpilledRuns);
        Assert.Equal(0, unbounded.SpilledRuns);
        Assert.Equal(expected, budgeted.CandidatePairs());
        Assert.Equal(expected, budgeted.CandidatePairs());
        Assert.NotEmpty(expected);
    }

    [Fact]
    public void LargeBucket_YieldsAStarAndAChain_NotEveryPair()
    {
        using var index = new LshIndex(1);
        const int members = 1000;
        for (var document = members - 1; document >= 0; document--)
        {
            index.Add(document, [42]);
        }

        index.Add(members, [7]);
        index.Add(members + 1, [7]);

        var pairs = index.CandidatePairs();

        Assert.Equal((members - 1) + (members - 2) + 1, pairs.Count);
        Assert.Contains(new CandidatePair(0, 999), pairs);
        Assert.Contains(new CandidatePair(500, 501), pairs);
        Assert.DoesNotContain(new CandidatePair(500, 502), pairs);
        var sets = new UnionFind(members + 2);
        foreach (var pair in pairs)
        {
            sets.Union(pair.First, pair.Second);
        }

        Assert.All(Enumerable.Range(0, members), document => Assert.Equal(sets.Find(0), sets.Find(document)));
        Assert.NotEqual(sets.Find(0), sets.Find(members));
    }

    [Fact]
    public void CandidatePairs_StopsWhenCancelled()
    {
        using var index = new LshIndex(1);
        index.Add(0, [1]);
        index.Add(1, [1]);

        Assert.Throws<OperationCanceledException>(() => index.CandidatePairs(new CancellationToken(canceled: true)));
    }

    [Fact]
    public void SpilledRuns_HaveNoNameOnDisk_SoNoExitLeavesThemBehind()
    {
        using var temp = new TempFolder();
        var index = new LshIndex(2, LshIndex.BufferedBytesPerDocument(2), temp.Path);
        index.Add(0, [1, 2]);
        index.Add(1, [1, 3]);
        Assert.Equal(2, index.SpilledRuns);
        Assert.Empty(Directory.GetFiles(temp.Path));
        Assert.Single(index.StreamCandidatePairs());

        index.Dispose();

        Assert.Empty(Directory.GetFiles(temp.Path));
    }

    [Fact]
    public void Add_ChecksItsArguments()
    {
        var index = new LshIndex(2);

        Assert.Throws<ArgumentException>(() => index.Add(0, [1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => index.Add(-1, [1, 2]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LshIndex(0));
    }

    [Theory]
    [InlineData(0.9, 0.85)]
    [InlineData(0.8, 0.30)]
    [InlineData(0.5, 0.0)]
    public void Lsh_FindsPairsAtTheRateItsParametersPredict(double jaccard, double atLeast)
    {
        var parameters = LshParameters.Optimal();
        var found = FoundRate(parameters, jaccard, trials: 400);

        Assert.InRange(found, parameters.DetectionProbability(jaccard) - 0.06, parameters.DetectionProbability(jaccard) + 0.06);
        Assert.True(found >= atLeast, $"found {found:P1} of pairs at Jaccard {jaccard}");
    }

    [Fact]
    public void Lsh_AlmostNeverPairsDissimilarDocuments()
    {
        Assert.Equal(0, FoundRate(LshParameters.Optimal(), 0.3, trials: 400));
        Assert.Equal(0, FoundRate(LshParameters.ForRecall(), 0.3, trials: 400));
    }

    [Fact]
    public void Lsh_ForRecall_FindsNearlyEveryPairAtJaccard09()
    {
        Assert.True(FoundRate(LshParameters.ForRecall(), 0.9, trials: 400) >= 0.99);
    }

    [Fact]
    public void Pipeline_PairsANearDuplicateTextAndNotAnUnrelatedOne()
    {
        const string original = "The mitochondria is the powerhouse of the cell. It produces most of the chemical energy needed to "
            + "power the cell's biochemical reactions, stored in a small molecule called adenosine triphosphate (ATP). "
            + "Mitochondria contain their own small chromosomes and are thought to have evolved from bacteria.";
        var edited = original.Replace("powerhouse", "Powerhouse", StringComparison.Ordinal).Replace("(ATP).", "(ATP)!!", StringComparison.Ordinal)
            .Replace("small chromosomes", "small  chromosomes", StringComparison.Ordinal) + " Really.";
        const string unrelated = "To bake bread, mix flour, water, salt and yeast, knead the dough until smooth, let it rise for an hour, "
            + "shape it into a loaf and bake it in a hot oven until the crust is golden and the bottom sounds hollow.";

        var simplifier = new TextSimplifier(new SimplifyOptions());
        var shingler = new Shingler();
        var signer = new MinHashSigner();
        var hasher = new BandHasher(LshParameters.Optimal());
        var index = new LshIndex(hasher.Parameters.Bands);
        var shingles = new[] { original, unrelated, edited }.Select(text => shingler.Shingle(simplifier.Simplify(text))).ToArray();
        for (var document = 0; document < shingles.Length; document++)
        {
            index.Add(document, hasher.Hash(signer.Sign(shingles[document])));
        }

        Assert.InRange(Jaccard.Of(shingles[0], shingles[2]), 0.9, 1);
        Assert.Equal([new CandidatePair(0, 2)], index.CandidatePairs());
    }

    /// <summary>Fraction of document pairs at the given Jaccard similarity that become candidates, one seed per trial.</summary>
    private static double FoundRate(LshParameters parameters, double jaccard, int trials)
    {
        const int Union = 400;
        var random = new Random((int)(jaccard * 1000) + parameters.Bands);
        var hasher = new BandHasher(parameters);
        var found = 0;
        for (var trial = 0; trial < trials; trial++)
        {
            var (a, b) = ShingleSets.WithOverlap(random, Union, (int)Math.Round(jaccard * Union));
            var signer = new MinHashSigner(MinHashSigner.DefaultPermutations, seed: trial);
            var index = new LshIndex(parameters.Bands);
            index.Add(0, hasher.Hash(signer.Sign(a)));
            index.Add(1, hasher.Hash(signer.Sign(b)));
            found += index.CandidatePairs().Count;
        }

        return (double)found / trials;
    }
}
