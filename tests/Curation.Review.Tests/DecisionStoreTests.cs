using Curation.Core;
using Curation.Review.Decisions;
using Curation.TestKit;

namespace Curation.Review.Tests;

public sealed class DecisionStoreTests
{
    private static ReviewDecision Decision(string id, Verdict verdict, string? correction = null) => new()
    {
        RecordId = id,
        Verdict = verdict,
        Correction = correction,
        Reviewers = ["alice"],
        AcceptVotes = verdict == Verdict.Accept ? 1 : 0,
        RejectVotes = verdict == Verdict.Reject ? 1 : 0,
        Tool = "label-studio",
        File = "export.json",
        Task = "1",
    };

    [Fact]
    public void Add_ThenReopen_TheLastDecisionPerRecordWins()
    {
        using var folder = new TempFolder();
        var store = DecisionStore.Open(folder.Path);
        Assert.Equal(new StoreUpdate(2, 0, 0), store.Add([Decision("a", Verdict.Accept), Decision("b", Verdict.Reject)]));
        Assert.Equal(new StoreUpdate(0, 1, 1), store.Add([Decision("a", Verdict.Accept), Decision("b", Verdict.Accept, "fixed")]));

        var reopened = DecisionStore.Open(folder.Path);

        Assert.Equal(Verdict.Accept, reopened.Decisions["b"].Verdict);
        Assert.Equal("fixed", reopened.Decisions["b"].Correction);
        Assert.Equal(3, File.ReadAllLines(folder.File(DecisionStore.DecisionsFile)).Length);
        Assert.False(File.Exists(folder.File(DecisionStore.DecisionsFile + ".tmp")));
    }

    [Fact]
    public void Decision_RoundTripsThroughTheFile()
    {
        using var folder = new TempFolder();
        var decision = Decision("a", Verdict.Accept, "new answer") with
        {
            Conversation = Chat.Messages(("user", "q"), ("assistant", "a")),
            Rating = 4.5,
            Reason = "ok",
            Agreement = 0.6667,
            Tie = null,
            Batch = "b-1",
        };
        DecisionStore.Open(folder.Path).Add([decision]);

        var read = DecisionStore.Open(folder.Path).Decisions["a"];

        Assert.True(read.SameDecisionAs(decision));
        Assert.Equal(0.6667, read.Agreement);
        Assert.Equal("b-1", read.Batch);
    }

    [Fact]
    public void DamagedLine_IsAnErrorNamingFileAndLine()
    {
        using var folder = new TempFolder();
        DecisionStore.Open(folder.Path).Add([Decision("a", Verdict.Accept)]);
        File.AppendAllText(folder.File(DecisionStore.DecisionsFile), "{\"record_id\": \"b\", \"verd");

        var error = Assert.Throws<CurationException>(() => DecisionStore.Open(folder.Path));

        Assert.StartsWith($"{folder.File(DecisionStore.DecisionsFile)}:2: the review store is damaged: not valid JSON", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddBatch_IsRememberedOnce()
    {
        using var folder = new TempFolder();
        var batch = new ReviewBatch("b-1", ReviewKind.Records, "argilla", "random 2", ["x", "y"]);
        DecisionStore.Open(folder.Path).AddBatch(batch);
        DecisionStore.Open(folder.Path).AddBatch(batch);

        var store = DecisionStore.Open(folder.Path);

        Assert.Single(File.ReadAllLines(folder.File(DecisionStore.BatchesFile)));
        Assert.Equal(["x", "y"], store.Batches["b-1"].RecordIds.ToArray());
        Assert.True(store.ExportedIds.SetEquals(["x", "y"]));
    }
}
