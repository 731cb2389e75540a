using Curation.Evaluation.Metrics;
using Curation.Evaluation.Statistics;

namespace Curation.Evaluation.Scoring;

/// <summary>
/// A pairwise judge's verdicts on two arms over the items: the first arm's wins, ties and losses, the verdicts the judge
/// could not give, and the first arm's win rate (a win 1, a tie 1/2, a loss 0; 0.5 is parity) with its bootstrap
/// interval over the items with a verdict (null when none has one).
/// </summary>
internal sealed record PairwiseSummary(string First, string Second, int Wins, int Ties, int Losses, int Errors, Interval? WinRate)
{
    /// <param name="outcomes">One outcome per item, by item id.</param>
    /// <exception cref="ArgumentException">Two outcomes for one item.</exception>
    public static PairwiseSummary Of(string first, string second, IEnumerable<(string ItemId, PairwiseOutcome Outcome)> outcomes, ScoringOptions options)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        ArgumentNullException.ThrowIfNull(options);
        var byItem = new SortedDictionary<string, PairwiseOutcome>(StringComparer.Ordinal);
        foreach (var (itemId, outcome) in outcomes)
        {
            if (!byItem.TryAdd(itemId, outcome))
            {
                throw new ArgumentException($"two pairwise verdicts of {first} and {second} on item {itemId}");
            }
        }

        var points = byItem.Values.Where(o => o != PairwiseOutcome.Error)
            .Select(o => o switch
            {
                PairwiseOutcome.FirstWins => 1.0,
                PairwiseOutcome.Tie => 0.5,
                _ => 0.0,
            })
            .ToArray();
        return new PairwiseSummary(
            first,
            second,
            byItem.Values.Count(o => o == PairwiseOutcome.FirstWins),
            byItem.Values.Count(o => o == PairwiseOutcome.Tie),
            byItem.Values.Count(o => o == PairwiseOutcome.SecondWins),
            byItem.Values.Count(o => o == PairwiseOutcome.Error),
            points.Length == 0 ? null : Bootstrap.Mean(points, options.Resamples, options.Seed, options.Confidence));
    }
}
