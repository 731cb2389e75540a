using Curation.Core.Records;
using Curation.Evaluation.Arms;
using Curation.Evaluation.Golden;
using Curation.Evaluation.Metrics;

namespace Curation.Evaluation.Tests.Metrics;

public sealed class JudgeTests
{
    private static readonly Rubric Rubric = new("correctness", "A good answer is **correct** and names its unit.");
    private static readonly CallParameters Parameters = new(256, 0, 1, 7);

    [Theory]
    [InlineData("The answer is right.\nScore: 4", 4)]
    [InlineData("**Score:** 1", 1)]
    [InlineData("Score: 5/5", 5)]
    [InlineData("score = 3 out of 5.", 3)]
    [InlineData("Format: Score: N\n\nIt is fine.\nScore: 2", 2)]
    [InlineData("Score: 4.5", null)]
    [InlineData("Score: 4/10", null)]
    [InlineData("Score: 7", null)]
    [InlineData("I would rate it highly.", null)]
    [InlineData("My score: 4", null)]
    public void Grade_ReadsTheLastScoreLine(string reply, int? grade) => Assert.Equal(grade, JudgeVerdicts.Grade(reply));

    [Fact]
    public async Task Scores_AreGradesOnZeroToOne_UnreadableAndFailedJudgesAreErrors_FailedAnswersZeroUnasked()
    {
        var replies = new Dictionary<string, string?>
        {
            ["good"] = "Correct, with unit.\nScore: 5",
            ["ok"] = "Mostly right.\n**Score:** 4",
            ["bad"] = "Wrong.\nScore: 1",
            ["rambling"] = "I think this is quite nice overall.",
            ["judge-down"] = null,
        };
        var judge = new FakeArm(call => replies[call.Messages[^1].Content.Split("# Answer to grade\n\n")[1].Split("\n\n")[0]]);
        var metric = new JudgeMetric("judge_correctness", judge, Rubric, Parameters);
        JudgedAnswer Answer(string? text) => new(Item("q", "12 m"), 0, text);

        var scores = await metric.ScoreAsync([Answer("good"), Answer("ok"), Answer(null), Answer("bad"), Answer("rambling"), Answer("judge-down")], CancellationToken.None);

        Assert.Equal([1, 0.75, 0, 0, null, null], scores.Select(s => s.Score));
        Assert.Equal([5, 4, null, 1, null, null], scores.Select(s => s.Grade));
        Assert.Equal([null, null, null, null, "judge-unparseable", "judge-http-500"], scores.Select(s => s.Error));
        Assert.Equal(5, judge.Calls.Count);
        Assert.All(judge.Calls, c => Assert.Equal(Parameters, c.Parameters));
    }

    [Fact]
    public void GradePrompt_HasRubricQuestionReferenceAndAnswer_ReferenceOnlyWhenThereIsOne()
    {
        var withReference = JudgePrompt.Grade(Rubric, Item("q", "12 m"), "About 12 metres.");
        var without = JudgePrompt.Grade(Rubric, Item("q", null), "About 12 metres.");
        var user = withReference[^1].Content;

        Assert.Equal(["system", "user"], withReference.Select(m => m.Role));
        Assert.Contains(Rubric.Text, user, StringComparison.Ordinal);
        Assert.Contains("How tall is the tree?", user, StringComparison.Ordinal);
        Assert.Contains("# Reference answer\n\n12 m", user, StringComparison.Ordinal);
        Assert.Contains("About 12 metres.", user, StringComparison.Ordinal);
        Assert.Contains("Score: N", user, StringComparison.Ordinal);
        Assert.DoesNotContain("Reference answer", without[^1].Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pairwise_AWinMustSurviveThePositionSwap()
    {
        // A fair judge prefers the answer that says "12 m" wherever it is shown; a biased one always picks A.
        var fair = new FakeArm(call => Shown(call, "A").Contains("12 m", StringComparison.Ordinal) ? "Winner: A"
            : Shown(call, "B").Contains("12 m", StringComparison.Ordinal) ? "Because... \n**Winner:** B" : "Winner: tie");
        var biased = new FakeArm(_ => "Winner: A");
        PairedAnswers[] pairs =
        [
            new(Item("q1", "12 m"), "It is 12 m.", "About 30 m."),
            new(Item("q2", "12 m"), "About 30 m.", "It is 12 m."),
            new(Item("q3", "12 m"), "About 30 m.", "Maybe 40 m."),
            new(Item("q4", "12 m"), null, "It is 12 m."),
            new(Item("q5", "12 m"), "It is 12 m.", null),
            new(Item("q6", "12 m"), null, null),
        ];

        var fairVerdicts = await new PairwiseJudge(fair, Rubric, Parameters).CompareAsync(pairs, CancellationToken.None);
        var biasedVerdicts = await new PairwiseJudge(biased, Rubric, Parameters).CompareAsync(pairs, CancellationToken.None);

        Assert.Equal(
            [PairwiseOutcome.FirstWins, PairwiseOutcome.SecondWins, PairwiseOutcome.Tie, PairwiseOutcome.SecondWins, PairwiseOutcome.FirstWins, PairwiseOutcome.Tie],
            fairVerdicts.Select(v => v.Outcome));
        Assert.Equal(("A", "B"), (fairVerdicts[0].FirstShownFirst, fairVerdicts[0].FirstShownSecond));
        Assert.All(biasedVerdicts.Take(3), v => Assert.Equal(PairwiseOutcome.Tie, v.Outcome));
        Assert.Equal(6, fair.Calls.Count);
        Assert.Equal("It is 12 m.", Shown(fair.Calls.Single(c => c.Item == 0 && c.Repeat == 0), "A"));
        Assert.Equal("It is 12 m.", Shown(fair.Calls.Single(c => c.Item == 0 && c.Repeat == 1), "B"));
    }

    [Fact]
    public async Task Pairwise_AnUnreadableOrFailedJudgeIsAnError()
    {
        var judge = new FakeArm(call => call.Item == 0 ? (call.Repeat == 0 ? "Winner: A" : "Both are fine.") : null);
        PairedAnswers[] pairs = [new(Item("q1", null), "x", "y"), new(Item("q2", null), "x", "y")];

        var verdicts = await new PairwiseJudge(judge, Rubric, Parameters).CompareAsync(pairs, CancellationToken.None);

        Assert.Equal((PairwiseOutcome.Error, "judge-unparseable"), (verdicts[0].Outcome, verdicts[0].Error));
        Assert.Equal((PairwiseOutcome.Error, "judge-http-500"), (verdicts[1].Outcome, verdicts[1].Error));
    }

    [Fact]
    public async Task Cancelled_BeforeEveryGradeCameBack_Throws()
    {
        using var cancellation = new CancellationTokenSource();
        var judge = new FakeArm(_ =>
        {
            cancellation.Cancel();
            return "Score: 3";
        });
        var metric = new JudgeMetric("judge", judge, Rubric, Parameters);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => metric.ScoreAsync([new(Item("q", null), 0, "x")], cancellation.Token));
    }

    [Fact]
    public void Rubric_LoadsByFileName_EmptyIsRefused()
    {
        using var folder = new Curation.TestKit.TempFolder();
        var rubric = Rubric.Load(folder.Write("helpfulness.md", "# Helpful\n\nAnswers the question asked.\n"));

        Assert.Equal(new Rubric("helpfulness", "# Helpful\n\nAnswers the question asked."), rubric);
        Assert.Throws<Curation.Core.CurationException>(() => Rubric.Load(folder.Write("empty.md", "  \n")));
        Assert.Throws<Curation.Core.CurationException>(() => Rubric.Load(folder.File("missing.md")));
    }

    private static string Shown(ArmCall call, string label) =>
        call.Messages[^1].Content.Split($"# Answer {label}\n\n")[1].Split("\n\n")[0];

    private static GoldenItem Item(string id, string? expected) => new(id, [new Message("user", "How tall is the tree?")], expected, []);
}
