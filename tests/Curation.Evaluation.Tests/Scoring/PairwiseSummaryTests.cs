using Curation.Evaluation.Metrics;
using Curation.Evaluation.Scoring;
using Curation.Evaluation.Statistics;

namespace Curation.Evaluation.Tests.Scoring;

public sealed class PairwiseSummaryTests
{
    private static readonly ScoringOptions Options = new(Resamples: 1_000, Seed: 3);

    [Fact]
    public void CountsVerdicts_WinRateCountsTiesAsHalf_ErrorsApart()
    {
        (string, PairwiseOutcome)[] outcomes =
        [
            ("q3", PairwiseOutcome.FirstWins),
            ("q1", PairwiseOutcome.Tie),
            ("q4", PairwiseOutcome.Error),
            ("q2", PairwiseOutcome.FirstWins),
            ("q5", PairwiseOutcome.SecondWins),
        ];

        var summary = PairwiseSummary.Of("tuned", "base", outcomes, Options);

        Assert.Equal((2, 1, 1, 1), (summary.Wins, summary.Ties, summary.Losses, summary.Errors));
        // Items by id: q1 tie 0.5, q2 win 1, q3 win 1, q5 loss 0; mean 2.5 / 4.
        Assert.Equal(Bootstrap.Mean([0.5, 1, 1, 0], 1_000, 3), summary.WinRate);
        Assert.Equal(0.625, summary.WinRate!.Value.Estimate);
        Assert.Equal(summary, PairwiseSummary.Of("tuned", "base", outcomes.Reverse(), Options));
    }

    [Fact]
    public void OnlyErrors_NoWinRate_DuplicatesRefused()
    {
        Assert.Null(PairwiseSummary.Of("a", "b", [("q1", PairwiseOutcome.Error)], Options).WinRate);
        Assert.Throws<ArgumentException>(() => PairwiseSummary.Of("a", "b", [("q1", PairwiseOutcome.Tie), ("q1", PairwiseOutcome.Tie)], Options));
    }
}
