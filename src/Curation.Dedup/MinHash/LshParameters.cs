namespace Curation.Dedup.MinHash;

/// <summary>
/// How LSH cuts a signature: <see cref="Bands"/> bands of <see cref="Rows"/> consecutive values. Two documents become
/// candidates when they agree on every value of at least one band.
/// </summary>
public sealed record LshParameters
{
    public const double DefaultThreshold = 0.8;

    /// <exception cref="ArgumentOutOfRangeException">A count is below 1, or the bands need more than int.MaxValue values.</exception>
    public LshParameters(int bands, int rows)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bands, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan((long)bands * rows, int.MaxValue, nameof(rows));
        Bands = bands;
        Rows = rows;
    }

    public int Bands { get; }

    public int Rows { get; }

    /// <summary>Signature values the bands read (bands × rows); later values are ignored.</summary>
    public int PermutationsUsed => Bands * Rows;

    /// <summary>
    /// The (b, r) that minimises the weighted areas under the false-positive curve below <paramref name="threshold"/>
    /// and the false-negative curve above it, as datasketch's <c>_optimal_param</c> chooses: 0.8 and 128 permutations
    /// give 9 × 13, 0.9 gives 5 × 25.
    /// </summary>
    /// <param name="threshold">Jaccard similarity that should count as a duplicate, in [0, 1].</param>
    /// <param name="permutations">Signature length; b × r stays within it.</param>
    /// <param name="falsePositiveWeight">Weight of the false-positive area.</param>
    /// <param name="falseNegativeWeight">Weight of the false-negative area.</param>
    public static LshParameters Optimal(
        double threshold = DefaultThreshold,
        int permutations = MinHashSigner.DefaultPermutations,
        double falsePositiveWeight = 0.5,
        double falseNegativeWeight = 0.5) =>
        LshTuning.Optimal(threshold, permutations, falsePositiveWeight, falseNegativeWeight);

    /// <summary>
    /// <see cref="Optimal"/> weighted 0.1 / 0.9 towards missing fewer duplicates, for when candidates are verified by
    /// exact Jaccard and extra candidates only cost time.
    /// </summary>
    public static LshParameters ForRecall(double threshold = DefaultThreshold, int permutations = MinHashSigner.DefaultPermutations) =>
        Optimal(threshold, permutations, falsePositiveWeight: 0.1, falseNegativeWeight: 0.9);

    /// <summary>Bands and rows given by hand, checked against the signature length.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A count is below 1, or bands × rows exceeds <paramref name="permutations"/>.</exception>
    public static LshParameters Explicit(int bands, int rows, int permutations)
    {
        var parameters = new LshParameters(bands, rows);
        if (parameters.PermutationsUsed > permutations)
        {
            throw new ArgumentOutOfRangeException(
                nameof(rows), $"{bands} bands × {rows} rows need {parameters.PermutationsUsed} permutations; the signature has {permutations}");
        }

        return parameters;
    }

    /// <summary>Probability that two documents of Jaccard similarity <paramref name="similarity"/> become candidates: 1 − (1 − s^r)^b.</summary>
    public double DetectionProbability(double similarity) => 1 - Math.Pow(1 - Math.Pow(similarity, Rows), Bands);
}
