using Curation.Dedup.MinHash;

namespace Curation.Dedup.Tests.MinHash;

public class LshParametersTests
{
    [Theory]
    [InlineData(0.9, 128, 5, 25)]
    [InlineData(0.8, 128, 9, 13)]
    [InlineData(0.7, 128, 14, 9)]
    [InlineData(0.5, 128, 25, 5)]
    [InlineData(0.8, 256, 17, 15)]
    public void Optimal_ReproducesDatasketch(double threshold, int permutations, int bands, int rows)
    {
        var parameters = LshParameters.Optimal(threshold, permutations);

        Assert.Equal(new LshParameters(bands, rows), parameters);
    }

    [Fact]
    public void Optimal_DefaultsToThreshold08With128Permutations()
    {
        Assert.Equal(new LshParameters(9, 13), LshParameters.Optimal());
    }

    [Theory]
    [InlineData(0.8, 14, 9)]
    [InlineData(0.9, 8, 16)]
    public void ForRecall_WeighsMissesNineToOne(double threshold, int bands, int rows)
    {
        var parameters = LshParameters.ForRecall(threshold);

        Assert.Equal(new LshParameters(bands, rows), parameters);
        Assert.True(parameters.DetectionProbability(threshold) > LshParameters.Optimal(threshold).DetectionProbability(threshold));
    }

    [Fact]
    public void Optimal_StaysWithinThePermutations()
    {
        for (var permutations = 1; permutations <= 40; permutations++)
        {
            Assert.InRange(LshParameters.Optimal(0.8, permutations).PermutationsUsed, 1, permutations);
        }
    }

    [Theory]
    [InlineData(-0.1, 128, 0.5, 0.5)]
    [InlineData(1.1, 128, 0.5, 0.5)]
    [InlineData(0.8, 0, 0.5, 0.5)]
    [InlineData(0.8, 128, -0.5, 0.5)]
    [InlineData(0.8, 128, 0, 0)]
    public void Optimal_RejectsBadArguments(double threshold, int permutations, double falsePositiveWeight, double falseNegativeWeight)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => LshParameters.Optimal(threshold, permutations, falsePositiveWeight, falseNegativeWeight));
    }

    [Theory]
    [InlineData(0.3, 1, 7)]
    [InlineData(0.8, 1, 13)]
    [InlineData(1.0, 1, 1)]
    public void Areas_MatchTheClosedFormForOneBand(double threshold, int bands, int rows)
    {
        // With one band the candidate probability is s^r, so the areas integrate exactly.
        var below = Math.Pow(threshold, rows + 1) / (rows + 1);
        var above = (1 - threshold) - ((1 - Math.Pow(threshold, rows + 1)) / (rows + 1));

        Assert.Equal(below, LshTuning.FalsePositiveArea(threshold, bands, rows), tolerance: 1e-10);
        Assert.Equal(above, LshTuning.FalseNegativeArea(threshold, bands, rows), tolerance: 1e-10);
    }

    [Fact]
    public void DetectionProbability_IsOneMinusMissInEveryBand()
    {
        var parameters = new LshParameters(9, 13);

        Assert.Equal(0, parameters.DetectionProbability(0));
        Assert.Equal(1, parameters.DetectionProbability(1));
        Assert.Equal(1 - Math.Pow(1 - Math.Pow(0.8, 13), 9), parameters.DetectionProbability(0.8), 15);
        Assert.InRange(parameters.DetectionProbability(0.9), 0.92, 0.94);
        Assert.InRange(parameters.DetectionProbability(0.3), 0, 1e-5);
        Assert.Equal(0.5, new LshParameters(1, 1).DetectionProbability(0.5), 15);
    }

    [Fact]
    public void Explicit_ChecksTheSignatureLength()
    {
        Assert.Equal(new LshParameters(16, 8), LshParameters.Explicit(16, 8, 128));
        Assert.Equal(new LshParameters(9, 13), LshParameters.Explicit(9, 13, 128));
        Assert.Throws<ArgumentOutOfRangeException>(() => LshParameters.Explicit(10, 13, 128));
        Assert.Throws<ArgumentOutOfRangeException>(() => LshParameters.Explicit(0, 13, 128));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LshParameters(9, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LshParameters(int.MaxValue, 2));
    }
}
