using Curation.Core.Conversations;
using Curation.Core.Records;
using Curation.Core.Stages;
using Curation.Review.Apply;
using Curation.Review.Decisions;
using Curation.TestKit;
using Curation.TestKit.Stages;

namespace Curation.Review.Tests;

public sealed class ApplyReviewStageTests : StageContractTests
{
    private static readonly IReadOnlyList<ChatRecord> Sample = SampleConversations.Take(40);

    public ApplyReviewStageTests()
    {
        var store = DecisionStore.Open(Temp.File("store"));
        store.AddBatch(new ReviewBatch("b-contract", ReviewKind.Records, "label-studio", "test", [Sample[3].Id, Sample[7].Id, "spam", "pending", "restorable"]));
        store.Add([Accept(Sample[3].Id, "Thanks, the corrected answer is clearer."), Accept(Sample[7].Id), RejectedByBob("spam"), Accept("restorable")]);
    }

    protected override StageRegistry Registry { get; } = new StageRegistry().AddReviewStages();

    protected override string Kind => ReviewStages.Apply;

    protected override IReadOnlyList<ChatRecord> RealisticInput => Sample;

    protected override IReadOnlyList<ChatRecord> RejectingInput { get; } = [Record("spam"), Record("pending")];

    // Rejected by an earlier stage, accepted by reviewers: restored.
    protected override IReadOnlyList<ChatRecord> RejectedEarlier { get; } = [Record("restorable")];

    protected override IStage CreateStage() => FromRegistry(new ApplyReviewOptions { Store = "store", Unreviewed = UnreviewedPolicy.Hold });

    private static ReviewDecision RejectedByBob(string id) => Accept(id) with { Verdict = Verdict.Reject, Reviewers = ["bob"], AcceptVotes = 0, RejectVotes = 1 };

    private const string ValidateStageName = "validate";

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

    // One conversation per validate rule, each breaking that rule and no earlier one.
    private static ChatRecord Breaking(string rule) => rule switch
    {
        ConversationRuleNames.NoMessages => Chat.Builder().WithId("a").Build(),
        ConversationRuleNames.UnknownRole => Chat.Builder().WithId("a").User("Hi").Add("narrator", "Meanwhile").Assistant("Hello.").Build(),
        ConversationRuleNames.EmptyTurn => Chat.Builder().WithId("a").User("Say hi in French.").Assistant("  ").Build(),
        ConversationRuleNames.SystemNotFirst => Chat.Builder().WithId("a").User("Hi").System("Be brief.").Assistant("Hello.").Build(),
        ConversationRuleNames.ConsecutiveRoles => Chat.Builder().WithId("a").User("Hi").User("Hi again").Assistant("Hello.").Build(),
        ConversationRuleNames.OrphanToolTurn => Chat.Builder().WithId("a").User("Weather?").Add(Roles.Tool, "{\"temp\": 21}").Assistant("21 degrees.").Build(),
        ConversationRuleNames.NoAssistantTurn => Chat.Builder().WithId("a").User("Anyone there?").Build(),
        ConversationRuleNames.LastTurnNotAssistant => Chat.Builder().WithId("a").User("Hi").Assistant("Hello.").User("Bye").Build(),
        _ => throw new ArgumentOutOfRangeException(nameof(rule)),
    };

    // The reject the validate stage itself writes for the record, with the off-by-default rule switched on.
    private static Reject ValidateReject(ChatRecord record)
    {
        var result = new ConversationValidator(new ConversationRules { LastTurnNotAssistant = true }).Check(record);
        Assert.False(result.IsKept);
        return new Reject(ValidateStageName, result.Rule!, result.Detail!, record.Source) { Record = record };
    }

    [Theory]
    [InlineData(ConversationRuleNames.NoMessages)]
    [InlineData(ConversationRuleNames.UnknownRole)]
    [InlineData(ConversationRuleNames.EmptyTurn)]
    [InlineData(ConversationRuleNames.SystemNotFirst)]
    [InlineData(ConversationRuleNames.ConsecutiveRoles)]
    [InlineData(ConversationRuleNames.OrphanToolTurn)]
    [InlineData(ConversationRuleNames.NoAssistantTurn)]
    [InlineData(ConversationRuleNames.LastTurnNotAssistant)]
    public async Task AcceptedWithoutCorrection_ARecordValidateRejected_KeepsItsRejectAndSaysWhy(string rule)
    {
        using var folder = new TempFolder();
        var reject = ValidateReject(Breaking(rule));
        Assert.Equal(rule, reject.Rule);
        var stage = new ApplyReviewStage(new ApplyReviewOptions(), Store(folder, Accept("a")), "apply-review");

        var (output, counters) = await StreamStageHarness.RunAsync(stage, [Envelope.Rejected(0, reject)]);

        var kept = output.Single().Reject!;
        Assert.Equal((ValidateStageName, rule), (kept.Stage, kept.Rule));
        Assert.Equal($"{reject.Detail}; accepted in review but not restored: it still fails validation: {rule}: {reject.Detail}", kept.Detail);
        Assert.Same(reject.Record, kept.Record);
        Assert.Equal(0, counters.Restored);
        Assert.Contains($"1 accepted records left rejected, failing validation: {rule} 1", Assert.Single(counters.Notes), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AcceptedWithoutCorrection_ARecordAnotherStageRejected_IsValidatedToo()
    {
        using var folder = new TempFolder();
        var record = Chat.Builder().WithId("a").User("Hi").User("Anyone?").Assistant("Yes.").Build();
        var reject = new Reject("instruction-quality", "short-response", "response has 1 word", record.Source) { Record = record };
        var stage = new ApplyReviewStage(new ApplyReviewOptions(), Store(folder, Accept("a")), "apply-review");

        var (output, counters) = await StreamStageHarness.RunAsync(stage, [Envelope.Rejected(0, reject)]);

        var kept = output.Single().Reject!;
        Assert.Equal(("instruction-quality", "short-response"), (kept.Stage, kept.Rule));
        Assert.Equal("response has 1 word; accepted in review but not restored: it still fails validation: consecutive-roles: messages[0] and messages[1] are both 'user'", kept.Detail);
        Assert.Equal(0, counters.Restored);
    }

    [Fact]
    public async Task ACorrectionThatMendsTheRejectedTurn_RestoresTheRecord_OneThatBreaksIt_NamesTheCorrection()
    {
        using var folder = new TempFolder();
        var empty = ValidateReject(Breaking(ConversationRuleNames.EmptyTurn));
        var good = Record("b");
        var reject = new Reject("refusal", "refusal", "refuses", good.Source) { Record = good };
        var stage = new ApplyReviewStage(new ApplyReviewOptions(), Store(folder, Accept("a", "Bonjour !"), Accept("b", " ")), "apply-review");

        var (output, counters) = await StreamStageHarness.RunAsync(stage, [Envelope.Rejected(0, empty), Envelope.Rejected(1, reject)]);

        var restored = output[0].Record!;
        Assert.Equal("Bonjour !", restored.Messages[^1].Content);
        Assert.Equal("validate/empty-turn", restored.Metadata["review"].GetProperty("restored_from").GetString());
        Assert.Equal(1, counters.Restored);
        Assert.Equal("refuses; accepted in review but not restored: the reviewers' correction fails validation: empty-turn: messages[1] (assistant) is empty", output[1].Reject!.Detail);
    }

    [Fact]
    public async Task FiguresOfShards_AddedIntoAFreshStage_GiveTheSummaryOfOneStageOverEverything()
    {
        using var folder = new TempFolder();
        var store = Store(folder, Accept("a", "Corrected answer a."), RejectedByBob("b"), Accept("r"), Accept("bad"), Accept("dup"), Accept("unseen"));
        var options = new ApplyReviewOptions { Unreviewed = UnreviewedPolicy.Drop };
        var rejected = Record("r");
        var invalid = Chat.Builder().WithId("bad").User("Hi").User("Anyone?").Assistant("Yes.").Build();
        // "dup" is applied in two shards: kept in the first, rejected as a duplicate id in the third.
        List<Envelope>[] shards =
        [
            [Envelope.Kept(0, Record("a")), Envelope.Kept(1, Record("c")), Envelope.Kept(2, Record("dup"))],
            [Envelope.Kept(3, Record("b")), Envelope.Rejected(4, new Reject("near-dedup", "near-duplicate", "near-duplicate of x", rejected.Source) { Record = rejected })],
            [Envelope.Rejected(5, new Reject("refusal", "refusal", "refuses", invalid.Source) { Record = invalid }), Envelope.Rejected(6, new Reject("read", "duplicate-id", "dup", Record("dup").Source) { Record = Record("dup") })],
        ];
        var whole = await StreamStageHarness.RunAsync(new ApplyReviewStage(options, store, "apply-review"), [.. shards.SelectMany(shard => shard)]);

        var merged = new ApplyReviewStage(options, store, "apply-review");
        var outputs = new List<Envelope>();
        foreach (var shard in shards)
        {
            var stage = new ApplyReviewStage(options, store, "apply-review");
            var part = await StreamStageHarness.RunAsync(stage, shard);
            outputs.AddRange(part.Envelopes);
            merged.AddFigures(stage.SaveFigures());
        }

        var counters = new Curation.Core.Stats.StageCounters("apply-review");
        merged.Report(counters);

        Assert.Equal(whole.Envelopes.Select(Describe), outputs.Select(Describe));
        var note = Assert.Single(whole.Counters.Notes);
        Assert.Equal(note, Assert.Single(counters.Notes));
        Assert.Contains("applied: 4 accepted (1 corrected), 1 rejected; restored from earlier stages: near-dedup/near-duplicate 1, read/duplicate-id 1; unreviewed exported records dropped: 1", note, StringComparison.Ordinal);
        Assert.Contains("1 accepted records left rejected", note, StringComparison.Ordinal);
        Assert.EndsWith("; 1 decisions for records this run did not reach (rejected before a stage that could restore them, or no longer in the input)", note, StringComparison.Ordinal);
    }

    private static string Describe(Envelope envelope) => envelope.Record is { } record
        ? $"{envelope.Sequence} kept {record.Id} {record.Messages[^1].Content}"
        : $"{envelope.Sequence} {envelope.Reject!.Stage}/{envelope.Reject.Rule}: {envelope.Reject.Detail}";
}
