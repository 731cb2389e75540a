using System.Collections.Concurrent;

namespace Curation.Dedup.MinHash;

/// <summary>The search behind <see cref="LshParameters.Optimal"/>.</summary>
internal static class LshTuning
{
    // Composite Simpson's rule. At this many intervals its error near the optimum is about 1e-11, far under the gap
    // between the best (b, r) and the runner-up (2e-7 of 0.018 at threshold 0.9), so it picks what scipy's quad picks.
    private const int Intervals = 512;

    // The search evaluates about a million powers (tens of milliseconds); a run asks for the same few settings.
    private static readonly ConcurrentDictionary<(double, int, double, double), LshParameters> Solved = new();

    public static LshParameters Optimal(double threshold, int permutations, double falsePositiveWeight, double falseNegativeWeight) =>
        Solved.GetOrAdd((threshold, permutations, falsePositiveWeight, falseNegativeWeight), key => Search(key.Item1, key.Item2, key.Item3, key.Item4));

    private static LshParameters Search(double threshold, int permutations, double falsePositiveWeight, double falseNegativeWeight)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threshold, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(threshold, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(permutations, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(falsePositiveWeight);
        ArgumentOutOfRangeException.ThrowIfNegative(falseNegativeWeight);
        if (falsePositiveWeight + falseNegativeWeight <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(falseNegativeWeight), "the weights cannot both be zero");
        }

        var least = double.PositiveInfinity;
        (int Bands, int Rows) best = (1, 1);
        for (var bands = 1; bands <= permutations; bands++)
        {
            for (var rows = 1; rows <= permutations / bands; rows++)
            {
                var error = (falsePositiveWeight * FalsePositiveArea(threshold, bands, rows))
                    + (falseNegativeWeight * FalseNegativeArea(threshold, bands, rows));

                // Strictly less, as datasketch compares: ties keep the fewest bands, then the fewest rows.
                if (error < least)
                {
                    least = error;
                    best = (bands, rows);
                }
            }
        }

        return new LshParameters(best.Bands, best.Rows);
    }

    /// <summary>∫₀ᵗ 1 − (1 − s^r)^b ds: candidates below the threshold.</summary>
    public static double FalsePositiveArea(double threshold, int bands, int rows) =>
        Simpson(s => 1 - MissProbability(s, bands, rows), 0, threshold);

    /// <summary>∫ₜ¹ (1 − s^r)^b ds: misses above the threshold.</summary>
    public static double FalseNegativeArea(double threshold, int bands, int rows) =>
        Simpson(s => MissProbability(s, bands, rows), threshold, 1);

    private static double MissProbability(double similarity, int bands, int rows) =>
        Math.Pow(1 - Math.Pow(similarity, rows), bands);

    private static double Simpson(Func<double, double> f, double from, double to)
    {
        if (to <= from)
        {
            return 0;
        }

        var step = (to - from) / Intervals;
        var sum = f(from) + f(to);
        for (var i = 1; i < Intervals; i++)
        {
            sum += (i % 2 == 1 ? 4 : 2) * f(from + (i * step));
        }

        return sum * step / 3;
    }
}
