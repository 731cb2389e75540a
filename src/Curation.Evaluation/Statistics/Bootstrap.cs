namespace Curation.Evaluation.Statistics;

/// <summary>A statistic with its bootstrap confidence interval.</summary>
public readonly record struct Interval(double Estimate, double Lower, double Upper);

/// <summary>Two arms on the same items: their paired difference (first minus second) and how often each was better.</summary>
public sealed record PairedComparison(Interval Difference, int Wins, int Ties, int Losses);

/// <summary>
/// Percentile bootstrap intervals (Efron and Tibshirani 1993, ch. 13), as <c>scipy.stats.bootstrap(method="percentile")</c>
/// computes them: resample the items with replacement, take the statistic of each resample, and read the interval
/// from the resampled statistics' percentiles (numpy's linear interpolation). Seeded, so a report is reproducible.
/// </summary>
public static class Bootstrap
{
    /// <summary>The mean of <paramref name="values"/> with its <paramref name="confidence"/> interval.</summary>
    /// <exception cref="ArgumentException">No values, fewer than 1 resample, or a confidence outside (0, 1).</exception>
    public static Interval Mean(IReadOnlyList<double> values, int resamples = 10_000, int seed = 1, double confidence = 0.95)
    {
        ArgumentNullException.ThrowIfNull(values);
        Check(values.Count, resamples, confidence);
        var random = new Random(seed);
        var means = new double[resamples];
        for (var b = 0; b < resamples; b++)
        {
            var sum = 0.0;
            for (var i = 0; i < values.Count; i++)
            {
                sum += values[random.Next(values.Count)];
            }

            means[b] = sum / values.Count;
        }

        return Percentiles(values.Average(), means, confidence);
    }

    /// <summary>
    /// The mean of <paramref name="first"/> minus <paramref name="second"/> over the same items, with its interval from
    /// resampling items (both arms' scores of an item stay together), and wins, ties and losses of the first arm
    /// (a tie: the scores differ by at most <paramref name="tie"/>).
    /// </summary>
    /// <exception cref="ArgumentException">The arms have different item counts, or as <see cref="Mean"/>.</exception>
    public static PairedComparison Paired(IReadOnlyList<double> first, IReadOnlyList<double> second, int resamples = 10_000, int seed = 1, double confidence = 0.95, double tie = 0)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        if (first.Count != second.Count)
        {
            throw new ArgumentException($"paired arms need the same items; got {first.Count} and {second.Count} scores");
        }

        var differences = first.Zip(second, (a, b) => a - b).ToArray();
        var wins = differences.Count(d => d > tie);
        var losses = differences.Count(d => d < -tie);
        return new PairedComparison(Mean(differences, resamples, seed, confidence), wins, differences.Length - wins - losses, losses);
    }

    private static Interval Percentiles(double estimate, double[] statistics, double confidence)
    {
        Array.Sort(statistics);
        var alpha = (1 - confidence) / 2;
        return new Interval(estimate, Percentile(statistics, alpha), Percentile(statistics, 1 - alpha));
    }

    // numpy.percentile's default ("linear"): the value at rank p * (n - 1), interpolated between its neighbours.
    internal static double Percentile(double[] sorted, double p)
    {
        var rank = p * (sorted.Length - 1);
        var below = (int)Math.Floor(rank);
        var above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + ((rank - below) * (sorted[above] - sorted[below]));
    }

    private static void Check(int count, int resamples, double confidence)
    {
        if (count == 0)
        {
            throw new ArgumentException("a bootstrap needs at least one value");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(resamples, 1);
        if (!(confidence > 0 && confidence < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(confidence), confidence, "a confidence above 0 and below 1");
        }
    }
}
