using Curation.Core.Records;
using Curation.Review.Apply;
using Curation.Review.Decisions;
using Curation.TestKit;

namespace Curation.Review.Tests;

public sealed class ApplyReviewStageTests
{
    private static DecisionStore Store(TempFolder folder, params ReviewDecision[] decisions)
    {
        var store = DecisionStore.Open(folder.Path);
        store.AddBatch(new ReviewBatch("b-1", ReviewKind.Records, "label-studio", "test", ["a", "b", "c"]));
        store.Add(decisions);
        return store;
    }

    private static ReviewDecision Accept(string id, string? correction = null) => new()
    {
        RecordId = id,
        Verdict = Verdict.Accept,
        Correction = correction,
        Reviewers = ["alice"],
        AcceptVotes = 1,
        Tool = "t",
        File = "f",
        Task = "1",
    };

    private static ChatRecord Record(string id) => Chat.Builder().WithId(id).User("question " + id).Assistant("answer " + id).Build();

    [Fact]
    public async Task EmptyCorrection_FailsValidation_GoesToRejectsWithTheReason()
    {
        using var folder = new TempFolder();
        var stage = new ApplyReviewStage(new ApplyReviewOptions(), Store(folder, Accept("a", "   ")), "apply-review");

        var (output, _) = await StreamStageHarness.RunAsync(stage, StreamStageHarness.Kept(Record("a")));

        var reject = output.Single().Reject!;
        Assert.Equal(ApplyReviewStage.InvalidCorrectionRule, reject.Rule);
        Assert.Equal("the reviewers' correction fails validation: empty-turn: messages[1] (assistant) is empty", reject.Detail);
    }

    [Theory]
    [InlineData(UnreviewedPolicy.Keep, UnreviewedScope.Exported, "a,b,c,x")]
    [InlineData(UnreviewedPolicy.Drop, UnreviewedScope.Exported, "a,x")]
    [InlineData(UnreviewedPolicy.Hold, UnreviewedScope.All, "a")]
    public async Task Unreviewed_FollowThePolicy(UnreviewedPolicy policy, UnreviewedScope scope, string kept)
    {
        using var folder = new TempFolder();
        var stage = new ApplyReviewStage(new ApplyReviewOptions { Unreviewed = policy, UnreviewedScope = scope }, Store(folder, Accept("a")), "apply-review");

        var (output, _) = await StreamStageHarness.RunAsync(stage, StreamStageHarness.Kept(Record("a"), Record("b"), Record("c"), Record("x")));

        Assert.Equal(kept, string.Join(',', output.Where(e => e.IsKept).Select(e => e.Record!.Id)));
        var expectedRule = policy == UnreviewedPolicy.Hold ? ApplyReviewStage.HeldRule : ApplyReviewStage.UnreviewedRule;
        Assert.All(output.Where(e => !e.IsKept), e => Assert.Equal(expectedRule, e.Reject!.Rule));
    }

    [Fact]
    public async Task RestoreOff_LeavesEarlierRejectsAlone()
    {
        using var folder = new TempFolder();
        var record = Record("a");
        var reject = new Reject("near-dedup", "near-duplicate", "near-duplicate of z", record.Source) { Record = record };
        var stage = new ApplyReviewStage(new ApplyReviewOptions { Restore = false }, Store(folder, Accept("a")), "apply-review");

        var (output, counters) = await StreamStageHarness.RunAsync(stage, [Envelope.Rejected(0, reject)]);

        Assert.Same(reject, output.Single().Reject);
        Assert.Equal(0, counters.Restored);
    }
}
