using Curation.Core.Records;
using Curation.Review.Apply;
using Curation.Review.Decisions;
using Curation.Review.Queue;
using Curation.TestKit;
using Curation.TestKit.Stages;

namespace Curation.Review.Tests;

/// <summary>
/// The records of the round-trip tests and what reviewers do with each: the expectations are written here once and
/// checked for every export format.
/// </summary>
internal static class ReviewScenario
{
    public static readonly ChatRecord Wrong = Chat.Builder().WithId("wrong").User("What is 2 + 2?").Assistant("5").Build();
    public static readonly ChatRecord Fixable = Chat.Builder().WithId("fixable").User("Capital of Australia?").Assistant("Sydney.").Build();
    public static readonly ChatRecord Restorable = Chat.Builder().WithId("restorable").User("Say hi in French.").Assistant("Bonjour !").Build();
    public static readonly ChatRecord Good = Chat.Builder().WithId("good").User("Name a prime number.").Assistant("7 is prime.").Build();
    public static readonly ChatRecord Skipped = Chat.Builder().WithId("skipped").User("Spell cat.").Assistant("C-A-T.").Build();
    public static readonly ChatRecord Tied = Chat.Builder().WithId("tied").User("Best editor?").Assistant("Vim.").Build();
    public static readonly ChatRecord NotExported = Chat.Builder().WithId("not-exported").User("Hello").Assistant("Hi there.").Build();

    public const string FixedAnswer = "Canberra is the capital of Australia.";

    public static readonly Reject EarlierReject = new("instruction-quality", "short-response", "response has 2 words", Restorable.Source) { Record = Restorable };

    /// <summary>The queue an export would write: the first six records, one of them a reject.</summary>
    public static ReviewQueue Queue(ReviewTool tool) => ReviewQueue.ForRecords(tool, "test selection",
    [
        new ReviewItem(Wrong, "random sample", Verdict.Accept, 0.62, "kept"),
        new ReviewItem(Fixable, "random sample", Verdict.Accept, 0.55, "kept"),
        new ReviewItem(Restorable, "instruction-quality rejected it", Verdict.Reject, null, "instruction-quality"),
        new ReviewItem(Good, "random sample", Verdict.Accept, 0.91, "kept"),
        new ReviewItem(Skipped, "random sample", Verdict.Accept, 0.7, "kept"),
        new ReviewItem(Tied, "random sample", Verdict.Accept, 0.5, "kept"),
    ]);

    /// <summary>What the reviewers answered, by record id.</summary>
    public static IEnumerable<Answer> Review(string recordId) => recordId switch
    {
        "wrong" =>
        [
            new Answer("alice@example.com") { Decision = "reject", Reason = "2 + 2 is 4", Rating = 1 },
            new Answer("bob@example.com") { Decision = "reject" },
            new Answer("7") { Decision = "accept" },
        ],
        "fixable" => [new Answer("alice@example.com") { Decision = "accept", Correction = FixedAnswer, Rating = 3 }],
        "restorable" => [new Answer("bob@example.com") { Decision = "accept" }],
        "good" => [new Answer("alice@example.com") { Decision = "accept", Rating = 4 }, new Answer("bob@example.com") { Decision = "accept", Rating = 5 }],
        "skipped" => [new Answer("alice@example.com") { Cancelled = true }],
        "tied" => [new Answer("alice@example.com") { Decision = "accept" }, new Answer("bob@example.com") { Decision = "reject", Reason = "opinion" }],
        _ => [],
    };

    public static List<Envelope> PipelineInput() =>
    [
        Envelope.Kept(0, Wrong),
        Envelope.Kept(1, Fixable),
        Envelope.Rejected(2, EarlierReject),
        Envelope.Kept(3, Good),
        Envelope.Kept(4, Skipped),
        Envelope.Kept(5, Tied),
        Envelope.Kept(6, NotExported),
    ];

    /// <summary>Applies the store to <see cref="PipelineInput"/> holding unreviewed records, and checks every record's fate.</summary>
    public static async Task CheckAppliedAsync(DecisionStore store)
    {
        var stage = new ApplyReviewStage(new ApplyReviewOptions { Store = store.Folder, Unreviewed = UnreviewedPolicy.Hold }, store, "apply-review");
        var (output, counters) = await StreamStageHarness.RunAsync(stage, PipelineInput());
        var byId = output.ToDictionary(e => e.Record?.Id ?? e.Reject!.Record!.Id);

        var wrong = byId["wrong"].Reject!;
        Assert.Equal(ApplyReviewStage.ReviewerRejectedRule, wrong.Rule);
        Assert.Equal("rejected by 7, alice@example.com, bob@example.com (2 of 3 votes): 2 + 2 is 4", wrong.Detail);

        var fixedRecord = byId["fixable"].Record!;
        Assert.Equal(FixedAnswer, fixedRecord.Messages[^1].Content);
        Assert.Equal("""{"verdict":"accept","reviewers":["alice@example.com"],"agreement":1,"rating":3,"corrected":true}""", fixedRecord.Metadata["review"].GetRawText());

        var restored = byId["restorable"].Record!;
        Assert.Equal("instruction-quality/short-response", restored.Metadata["review"].GetProperty("restored_from").GetString());
        Assert.Equal(1, counters.Restored);

        Assert.Equal(4.5, byId["good"].Record!.Metadata["review"].GetProperty("rating").GetDouble());
        Assert.Equal(ApplyReviewStage.HeldRule, byId["skipped"].Reject!.Rule);
        Assert.Equal(ApplyReviewStage.ReviewerRejectedRule, byId["tied"].Reject!.Rule);
        Assert.Contains("tie 1-1, settled as reject", byId["tied"].Reject!.Detail, StringComparison.Ordinal);
        Assert.Same(NotExported, byId["not-exported"].Record);
        Assert.Equal(Enumerable.Range(0, 7).Select(i => (long)i), output.Select(e => e.Sequence));
    }
}
