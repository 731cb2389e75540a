using System.Text.Json;
using Curation.Evaluation.Scoring;
using Curation.Evaluation.Statistics;

namespace Curation.Evaluation.Tests.Scoring;

/// <summary>
/// The scoreboard on a small table worked by hand: two arms, four items, the tuned arm asked twice, a failed call,
/// a judge error and an item a metric does not apply to.
/// </summary>
public sealed class ScoreboardTests
{
    private static readonly ScoringOptions Options = new(Resamples: 2_000, Seed: 5) { ArmOrder = ["tuned", "base"] };

    private static readonly Dictionary<string, IReadOnlyList<string>> Tags = new()
    {
        ["q1"] = ["math"],
        ["q2"] = ["math", "hard"],
        ["q3"] = ["geo"],
    };

    // exact_match: base q1 1, q2 0, q3 1, q4 failed (0). tuned q1 (1, 0) -> 0.5, q2 (1, 1) -> 1, q3 (1, failed 0) -> 0.5, q4 (0, 1) -> 0.5.
    // judge: base q1 0.75, q2 judge error (none), q3 0.25; tuned q1 (1, 0.5) -> 0.75, q2 (0.25, error) -> 0.25; q3, q4 not judged.
    private static readonly ScoredRow[] Rows =
    [
        new("base", "q1", 0, "exact_match", 1, false),
        new("base", "q2", 0, "exact_match", 0, false),
        new("base", "q3", 0, "exact_match", 1, false),
        new("base", "q4", 0, "exact_match", 0, true),
        new("tuned", "q1", 0, "exact_match", 1, false),
        new("tuned", "q1", 1, "exact_match", 0, false),
        new("tuned", "q2", 0, "exact_match", 1, false),
        new("tuned", "q2", 1, "exact_match", 1, false),
        new("tuned", "q3", 0, "exact_match", 1, false),
        new("tuned", "q3", 1, "exact_match", 0, true),
        new("tuned", "q4", 0, "exact_match", 0, false),
        new("tuned", "q4", 1, "exact_match", 1, false),
        new("base", "q1", 0, "judge", 0.75, false),
        new("base", "q2", 0, "judge", null, true),
        new("base", "q3", 0, "judge", 0.25, false),
        new("base", "q4", 0, "judge", null, false),
        new("tuned", "q1", 0, "judge", 1, false),
        new("tuned", "q1", 1, "judge", 0.5, false),
        new("tuned", "q2", 0, "judge", 0.25, false),
        new("tuned", "q2", 1, "judge", null, true),
    ];

    private static readonly AnswerRow[] Answers =
    [
        new("base", "q1", 0, "Paris"),
        new("tuned", "q1", 0, "Paris"),
        new("tuned", "q1", 1, "paris."),
        new("tuned", "q1", 2, " PARIS!"),
        new("tuned", "q2", 0, "4"),
        new("tuned", "q2", 1, "four"),
        new("tuned", "q2", 2, "4"),
        new("tuned", "q3", 0, "Lyon"),
        new("tuned", "q3", 1, null),
        new("tuned", "q4", 0, "b"),
        new("tuned", "q4", 1, "a"),
    ];

    [Fact]
    public void Means_CountItemsScoredAndErrors_RepeatsAveragedFirst()
    {
        var board = Scoreboard.Build(Rows, Answers, Tags, Options);

        Assert.Equal(["tuned", "base"], board.Metrics.Select(m => m.Arm).Distinct());
        Assert.Equal(["exact_match", "judge"], board.Metrics.Select(m => m.Metric).Distinct());
        AssertSummary(board, "base", "exact_match", 0.5, items: 4, errors: 1);
        AssertSummary(board, "tuned", "exact_match", 2.5 / 4, items: 4, errors: 1);
        AssertSummary(board, "base", "judge", 0.5, items: 2, errors: 1);
        AssertSummary(board, "tuned", "judge", 0.5, items: 2, errors: 1);
        var interval = board.SummaryOf("tuned", "exact_match")!.Mean!.Value;
        Assert.Equal(Bootstrap.Mean([0.5, 1, 0.5, 0.5], 2_000, 5), interval);
        Assert.InRange(interval.Lower, 0.5, 0.625);
        Assert.InRange(interval.Upper, 0.625, 1);
    }

    [Fact]
    public void Comparisons_PairEveryTwoArmsOnItemsBothScored()
    {
        var board = Scoreboard.Build(Rows, Answers, Tags, Options);

        var exact = board.Comparisons.Single(c => c.Metric == "exact_match");
        Assert.Equal(("tuned", "base", 4), (exact.First, exact.Second, exact.Items));
        // tuned - base: q1 -0.5, q2 +1, q3 -0.5, q4 +0.5.
        Assert.Equal(0.125, exact.Paired.Difference.Estimate, 15);
        Assert.Equal((2, 0, 2), (exact.Paired.Wins, exact.Paired.Ties, exact.Paired.Losses));
        Assert.Equal(Bootstrap.Paired([0.5, 1, 0.5, 0.5], [1, 0, 1, 0], 2_000, 5), exact.Paired);

        // judge: only q1 is scored by both (0.75 and 0.75).
        var judge = board.Comparisons.Single(c => c.Metric == "judge");
        Assert.Equal(1, judge.Items);
        Assert.Equal(new Interval(0, 0, 0), judge.Paired.Difference);
        Assert.Equal((0, 1, 0), (judge.Paired.Wins, judge.Paired.Ties, judge.Paired.Losses));
    }

    [Fact]
    public void Tags_BreakMeansDownByItemTags()
    {
        var board = Scoreboard.Build(Rows, Answers, Tags, Options);

        Assert.Equal(["geo", "hard", "math"], board.Tags.Select(t => t.Tag).Distinct());
        TagSummary Of(string tag, string arm, string metric) => board.Tags.Single(t => t.Tag == tag && t.Arm == arm && t.Metric == metric);
        Assert.Equal((0.75, 2), (Of("math", "tuned", "exact_match").Mean.Estimate, Of("math", "tuned", "exact_match").Items));
        Assert.Equal((0.5, 2), (Of("math", "base", "exact_match").Mean.Estimate, Of("math", "base", "exact_match").Items));
        Assert.Equal((1.0, 1), (Of("hard", "tuned", "exact_match").Mean.Estimate, Of("hard", "tuned", "exact_match").Items));
        Assert.Equal(new Interval(1, 1, 1), Of("hard", "tuned", "exact_match").Mean);
        Assert.Equal((0.5, 2), (Of("math", "tuned", "judge").Mean.Estimate, Of("math", "tuned", "judge").Items));
        Assert.Equal((0.75, 1), (Of("math", "base", "judge").Mean.Estimate, Of("math", "base", "judge").Items));
        Assert.DoesNotContain(board.Tags, t => t.Tag == "geo" && t.Metric == "judge" && t.Arm == "tuned");
        Assert.DoesNotContain(board.Tags, t => t.Tag == "hard" && t.Metric == "judge" && t.Arm == "base");
    }

    [Fact]
    public void Stability_ShareOfAnswersAgreeingWithTheMajority_ForArmsAskedMoreThanOnce()
    {
        var board = Scoreboard.Build(Rows, Answers, Tags, Options);

        var tuned = Assert.Single(board.Stability);
        Assert.Equal(("tuned", 3), (tuned.Arm, tuned.Repeats));
        // q1: "Paris", "paris.", " PARIS!" all normalise to "paris": 3/3. q2: "4" twice of 3. q3: one answer, left out.
        // q4: "a" and "b" once each: 1/2, majority "a" (ordinal tie-break).
        Assert.Equal(
            [new ItemStability("q1", 3, 3, "paris"), new ItemStability("q2", 3, 2, "4"), new ItemStability("q4", 2, 1, "a")],
            tuned.Items);
        Assert.Equal((1 + (2.0 / 3) + 0.5) / 3, tuned.MeanShare!.Value, 15);
    }

    [Fact]
    public void SameRowsInAnyOrder_SameNumbers()
    {
        // Scores that are not exact in binary, so a sum in another order would differ in the last bits.
        var rows = Enumerable.Range(0, 40).SelectMany(i => Enumerable.Range(0, 3).Select(r =>
            new ScoredRow(i % 2 == 0 ? "a" : "b", $"q{i / 2}", r, "token_f1", Math.Round(((i * 7) + (r * 13)) % 10 * 0.1 + 0.01, 2), false))).ToList();
        var answers = rows.Select(r => new AnswerRow(r.Arm, r.ItemId, r.Repeat, r.Score > 0.5 ? "yes" : "no")).ToList();
        var tags = rows.Select(r => r.ItemId).Distinct().ToDictionary(id => id, id => (IReadOnlyList<string>)[id.Length == 2 ? "short" : "long"]);
        var expected = Serialize(Scoreboard.Build(rows, answers, tags, Options));

        var random = new Random(11);
        for (var shuffle = 0; shuffle < 5; shuffle++)
        {
            var shuffledRows = rows.OrderBy(_ => random.Next()).ToList();
            var shuffledAnswers = answers.OrderBy(_ => random.Next()).ToList();

            Assert.Equal(expected, Serialize(Scoreboard.Build(shuffledRows, shuffledAnswers, tags, Options)));
        }

        Assert.NotEqual(expected, Serialize(Scoreboard.Build(rows, answers, tags, Options with { Seed = 6 })));
    }

    [Fact]
    public void ArmsAndMetricsWithoutAnOrder_ComeByName()
    {
        var board = Scoreboard.Build(Rows, Answers, Tags, new ScoringOptions(Resamples: 100));

        Assert.Equal(["base", "tuned"], board.Metrics.Select(m => m.Arm).Distinct());
        Assert.All(board.Comparisons, c => Assert.Equal(("base", "tuned"), (c.First, c.Second)));
    }

    [Fact]
    public void AnArmThatScoredNothing_HasNoMean()
    {
        var board = Scoreboard.Build([new("a", "q1", 0, "regex", null, false), new("b", "q1", 0, "regex", 1, false)], [], Tags, Options);

        Assert.Equal(new MetricSummary("a", "regex", null, 0, 0), board.SummaryOf("a", "regex"));
        Assert.Empty(board.Comparisons);
        Assert.Empty(board.Stability);
    }

    [Fact]
    public void DuplicateRows_AreRefused()
    {
        Assert.Throws<ArgumentException>(() => Scoreboard.Build([Rows[0], Rows[0] with { Score = 0 }], [], Tags, Options));
        Assert.Throws<ArgumentException>(() => Scoreboard.Build([], [Answers[0], Answers[0]], Tags, Options));
    }

    private static void AssertSummary(Scoreboard board, string arm, string metric, double mean, int items, int errors)
    {
        var summary = board.SummaryOf(arm, metric)!;
        Assert.Equal(mean, summary.Mean!.Value.Estimate, 15);
        Assert.Equal((items, errors), (summary.Items, summary.Errors));
    }

    private static string Serialize(Scoreboard board) => JsonSerializer.Serialize(board);
}
