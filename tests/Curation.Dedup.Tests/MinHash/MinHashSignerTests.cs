using Curation.Dedup.MinHash;

namespace Curation.Dedup.Tests.MinHash;

public class MinHashSignerTests
{
    public static TheoryData<int> PermutationCounts() => [1, 3, 4, 8, 15, 16, 31, 32, 33, 64, 100, 128, 130, 256];

    [Theory]
    [MemberData(nameof(PermutationCounts))]
    public void Sign_EveryPathMatchesTheScalarReference(int permutations)
    {
        var signer = new MinHashSigner(permutations, seed: 7);
        var random = new Random(permutations);
        foreach (var size in new[] { 0, 1, 2, 17, 1000 })
        {
            var shingles = Enumerable.Range(0, size).Select(_ => (ulong)random.NextInt64(long.MinValue, long.MaxValue)).ToArray();
            shingles[..Math.Min(2, size)].AsSpan().Fill(ulong.MaxValue);
            var reference = new uint[permutations];
            signer.Sign(shingles, reference, SigningPath.Scalar);

            foreach (var path in Enum.GetValues<SigningPath>())
            {
                var signature = new uint[permutations];
                signer.Sign(shingles, signature, path);
                Assert.Equal(reference, signature);
            }

            Assert.Equal(reference, signer.Sign(shingles));
        }
    }

    [Fact]
    public void Sign_IsPinned_SoStoredSignaturesStayComparable()
    {
        // Computed independently (Python, from the formula in MinHashSigner's remarks); a change here is a format change.
        uint[] expected = [0x07C45640, 0x03219D72, 0x14AF37A9, 0x1E7C4ABC, 0x8519B6B1, 0x5BE4204E, 0x1F6969C0, 0x53EE46B4];

        Assert.Equal(expected, new MinHashSigner(8, seed: 1).Sign([1, 2, 3, 0xDEADBEEF]));
    }

    [Fact]
    public void Sign_EmptySet_IsAllMaxValue()
    {
        Assert.All(new MinHashSigner().Sign([]), value => Assert.Equal(uint.MaxValue, value));
    }

    [Fact]
    public void Sign_IgnoresOrderAndDuplicates()
    {
        var signer = new MinHashSigner();
        ulong[] sorted = [3, 17, 99, 1UL << 40, ulong.MaxValue - 5];
        ulong[] shuffled = [ulong.MaxValue - 5, 17, 3, 17, 1UL << 40, 99, 3];

        Assert.Equal(signer.Sign(sorted), signer.Sign(shuffled));
    }

    [Fact]
    public void Sign_SameSeedIsDeterministic_OtherSeedDiffers()
    {
        var shingles = ShingleSets.WithOverlap(new Random(1), 300, 0).A;

        var first = new MinHashSigner(128, seed: 42).Sign(shingles);
        var again = new MinHashSigner(128, seed: 42).Sign(shingles);
        var other = new MinHashSigner(128, seed: 43).Sign(shingles);

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
        Assert.InRange(first.Zip(other).Count(pair => pair.First == pair.Second), 0, 2);
    }

    [Fact]
    public void Sign_RejectsAWrongLengthDestination()
    {
        var signer = new MinHashSigner(16);

        Assert.Throws<ArgumentException>(() => signer.Sign([1, 2], new uint[15]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MinHashSigner(0));
    }

    [Theory]
    [InlineData(200, 40)]
    [InlineData(200, 100)]
    [InlineData(200, 160)]
    [InlineData(1000, 900)]
    [InlineData(30, 9)]
    public void Estimate_IsUnbiasedWithBinomialSpread_OnHashedShingles(int union, int shared)
    {
        var random = new Random(union * 31 + shared);
        AssertEstimates(trial => (ShingleSets.WithOverlap(random, union, shared), trial), (double)shared / union);
    }

    [Theory]
    [InlineData(200, 40)]
    [InlineData(200, 160)]
    [InlineData(1000, 900)]
    public void Estimate_IsUnbiasedWithBinomialSpread_OnConsecutiveKeys(int union, int shared)
    {
        // Structured keys are where weak hash families show bias; the signer should not need its input pre-hashed.
        AssertEstimates(trial => (ShingleSets.Consecutive((ulong)trial * 100_000, union, shared), trial), (double)shared / union);
    }

    /// <summary>
    /// Over many independently seeded signers: the mean estimate is within 0.01 of the truth, 95% of estimates are
    /// within 0.1, and the spread matches the binomial sqrt(J(1 − J)/128) that independent permutations would give.
    /// </summary>
    private static void AssertEstimates(Func<int, ((ulong[] A, ulong[] B) Sets, int Seed)> trialInput, double jaccard)
    {
        const int Trials = 300;
        const int Permutations = 128;
        var estimates = new double[Trials];
        for (var trial = 0; trial < Trials; trial++)
        {
            var ((a, b), seed) = trialInput(trial);
            Assert.Equal(jaccard, Jaccard.Of(a, b), 12);
            var signer = new MinHashSigner(Permutations, seed);
            estimates[trial] = Jaccard.Estimate(signer.Sign(a), signer.Sign(b));
        }

        var mean = estimates.Average();
        var spread = Math.Sqrt(estimates.Sum(e => (e - mean) * (e - mean)) / (Trials - 1));
        var binomial = Math.Sqrt(jaccard * (1 - jaccard) / Permutations);
        Assert.InRange(mean, jaccard - 0.01, jaccard + 0.01);
        Assert.InRange(estimates.Count(e => Math.Abs(e - jaccard) <= 0.1), 0.95 * Trials, Trials);
        Assert.InRange(spread, 0.8 * binomial, 1.2 * binomial);
    }
}
