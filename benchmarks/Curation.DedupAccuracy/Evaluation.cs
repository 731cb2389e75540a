using System.Diagnostics;
using Curation.Dedup.MinHash;

namespace Curation.DedupAccuracy;

/// <summary>What one system predicted at one threshold, scored pairwise against the ground truth.</summary>
internal sealed record Evaluation(
    string System,
    double Threshold,
    LshParameters Lsh,
    int TruthPairs,
    int Candidates,
    int Predicted,
    int TruePositives,
    TimeSpan Elapsed)
{
    public double Precision => Predicted == 0 ? 1 : (double)TruePositives / Predicted;

    public double Recall => TruthPairs == 0 ? 1 : (double)TruePositives / TruthPairs;

    /// <summary>Recall the banding alone promises: the mean of P(candidate | J) over the truth pairs.</summary>
    public double ExpectedRecall { get; init; } = 1;

    public double F1 => Precision + Recall == 0 ? 0 : 2 * Precision * Recall / (Precision + Recall);

    /// <summary>
    /// Bands the signatures, collects LSH candidate pairs and, when <paramref name="verify"/>, keeps only those whose
    /// exact Jaccard reaches the threshold (as the near-dedup stage does); otherwise every candidate is a prediction.
    /// Timed from banding to the last verified pair; shingling and signing are shared by all runs and timed apart.
    /// </summary>
    public static Evaluation Run(
        string system,
        double threshold,
        LshParameters lsh,
        bool verify,
        IReadOnlyList<ulong[]> sets,
        IReadOnlyList<uint[]> signatures,
        IReadOnlyList<ScoredPair> truth)
    {
        ArgumentNullException.ThrowIfNull(lsh);
        var clock = Stopwatch.StartNew();
        var hasher = new BandHasher(lsh);
        var index = new LshIndex(lsh.Bands);
        for (var d = 0; d < signatures.Count; d++)
        {
            index.Add(d, hasher.Hash(signatures[d]));
        }

        var candidates = index.CandidatePairs();
        var predicted = verify
            ? candidates.Where(pair => Jaccard.Of(sets[pair.First], sets[pair.Second]) >= threshold).ToList()
            : [.. candidates];
        clock.Stop();

        var expected = truth.Where(pair => pair.Jaccard >= threshold).Select(pair => pair.Key).ToHashSet();
        var hits = predicted.Count(pair => expected.Contains(ScoredPair.Pack(pair.First, pair.Second)));
        var promised = truth.Where(pair => pair.Jaccard >= threshold).Select(pair => lsh.DetectionProbability(pair.Jaccard)).DefaultIfEmpty(1).Average();
        return new Evaluation(system, threshold, lsh, expected.Count, candidates.Count, predicted.Count, hits, clock.Elapsed) { ExpectedRecall = promised };
    }
}
