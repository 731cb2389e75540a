using System.Text.Json;
using System.Text.Json.Nodes;
using Curation.Core;
using Curation.Core.Records;
using Curation.Review.Apply;
using Curation.Review.Decisions;
using Curation.Review.Import;
using Curation.Review.Queue;
using Curation.TestKit;

namespace Curation.Review.Tests;

/// <summary>
/// Another project's pairwise review, as Label Studio's human preference (RLHF) template sets it up: a prompt and two
/// answers side by side, <c>&lt;Pairwise name="comparison" toName="answer1,answer2"/&gt;</c>, each answer one of our
/// records; then the preference pairs for DPO.
/// </summary>
public sealed class PairwisePreferenceTests : IDisposable
{
    private static readonly ChatRecord[] Records =
    [
        Chat.Builder().WithId("r1").User("How do I reverse a list in Python?").Assistant("Use reversed(x), or x[::-1] for a copy.").Build(),
        Chat.Builder().WithId("r2").User("How do I reverse a list in Python?").Assistant("Lists cannot be reversed.").Build(),
        Chat.Builder().WithId("r3").System("Be brief.").User("Capital of Japan?").Assistant("Tokyo.").Build(),
        Chat.Builder().WithId("r4").System("Be brief.").User("Capital of Japan?").Assistant("Kyoto.").Build(),
        Chat.Builder().WithId("r5").User("Name a prime.").Assistant("7").Build(),
        Chat.Builder().WithId("r6").User("Name a prime number.").Assistant("9").Build(),
        Chat.Builder().WithId("r7").User("Best editor?").Assistant("Vim.").Build(),
        Chat.Builder().WithId("r8").User("Best editor?").Assistant("Emacs.").Build(),
    ];

    private static readonly ReviewSchema Schema = new()
    {
        Foreign = true,
        Keep = "comparison",
        LeftIdField = "answer1_id",
        RightIdField = "answer2_id",
        Pairwise = PairwiseUse.Preference,
    };

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    /// <summary>r1 over r2 (2 votes), r3 over r4 (chosen on the right), r5 over r6 (prompts differ), r7 and r8 split.</summary>
    private string Export(string left = "left", string right = "right")
    {
        var tasks = new JsonArray();
        void Task(string leftId, string rightId, params (string Reviewer, string Side)[] answers)
        {
            var (one, other) = (Records.Single(r => r.Id == leftId), Records.Single(r => r.Id == rightId));
            tasks.Add(new JsonObject
            {
                ["id"] = 40 + tasks.Count,
                ["data"] = new JsonObject
                {
                    ["prompt"] = one.Messages[^2].Content,
                    ["answer1"] = one.Messages[^1].Content,
                    ["answer2"] = other.Messages[^1].Content,
                    ["answer1_id"] = leftId,
                    ["answer2_id"] = rightId,
                },
                ["annotations"] = new JsonArray([.. answers.Select((a, i) => (JsonNode)new JsonObject
                {
                    ["id"] = 900 + (tasks.Count * 10) + i,
                    ["completed_by"] = new JsonObject { ["id"] = i + 1, ["email"] = a.Reviewer },
                    ["result"] = new JsonArray(new JsonObject
                    {
                        ["id"] = "pw" + i,
                        ["from_name"] = "comparison",
                        ["to_name"] = "answer1,answer2",
                        ["type"] = "pairwise",
                        ["value"] = new JsonObject { ["selected"] = a.Side == "left" ? left : right },
                        ["origin"] = "manual",
                    }),
                    ["was_cancelled"] = false,
                    ["created_at"] = $"2026-12-01T10:0{i}:00Z",
                })]),
            });
        }

        Task("r1", "r2", ("alice@example.com", "left"), ("bob@example.com", "left"));
        Task("r4", "r3", ("alice@example.com", "right"));
        Task("r5", "r6", ("alice@example.com", "left"));
        Task("r7", "r8", ("alice@example.com", "left"), ("bob@example.com", "right"));
        return _folder.Write("pairwise.json", tasks.ToJsonString());
    }

    [Theory]
    [InlineData("json")]
    [InlineData("json-min")]
    [InlineData("csv")]
    public void PairwiseAnswers_AsPreferences_StoreTheChosenSideOverTheOther_AndDecideNoRecord(string format)
    {
        var export = format switch
        {
            "json" => Export(),
            "json-min" => LabelStudioConverter.JsonMin(Export(), _folder.File("pairwise-min.json")),
            _ => LabelStudioConverter.Table(Export(), _folder.File("pairwise.csv"), ','),
        };

        var (result, update) = ReviewImporter.Import(export, ExportSource.Auto, Schema, DecisionStore.Open(_folder.File("store")));

        Assert.Empty(result.Decisions);
        Assert.Equal(["r1 > r2 (2-0)", "r3 > r4 (1-0)", "r5 > r6 (1-0)"], result.Preferences.Select(p => $"{p.Chosen} > {p.Rejected} ({p.ChosenVotes}-{p.RejectedVotes})"));
        Assert.Equal(["alice@example.com", "bob@example.com"], result.Preferences[0].Reviewers.ToArray());
        Assert.Equal(new StoreUpdate(3, 0, 0), update.Preferences);
        Assert.EndsWith("preferences: 3 pairs with a side chosen, 1 without (found distinct, no side chosen, or an even split)", result.Report.ToString(), StringComparison.Ordinal);
        Assert.Equal(3, DecisionStore.Open(_folder.File("store")).Preferences.Count());
    }

    [Fact]
    public void PairwiseAnswers_ToKeep_AcceptTheChosenRecordAndRejectTheOther()
    {
        var (result, update) = ReviewImporter.Import(Export(), ExportSource.Auto, Schema with { Pairwise = PairwiseUse.Keep }, DecisionStore.Open(_folder.File("store")));

        var decisions = result.Decisions.ToDictionary(d => d.RecordId);
        Assert.Equal(
            ["r1 Accept", "r2 Reject", "r3 Accept", "r4 Reject", "r5 Accept", "r6 Reject", "r7 Reject", "r8 Reject"],
            decisions.Values.OrderBy(d => d.RecordId, StringComparer.Ordinal).Select(d => $"{d.RecordId} {d.Verdict}"));
        Assert.Equal("paired with r1: reviewer kept the other", decisions["r2"].Reason);
        Assert.Equal(3, update.Preferences!.Added);
    }

    [Fact]
    public void CustomLeftAndRightValues_AreReadWhenNamed_AndAnErrorWhenNot()
    {
        var export = Export(left: "answer1", right: "answer2");

        var (result, _) = ReviewImporter.Import(export, ExportSource.Auto, Schema with { LeftValue = "answer1", RightValue = "answer2" }, DecisionStore.Open(_folder.File("store")));
        var error = Assert.Throws<CurationException>(() => ReviewImporter.Import(export, ExportSource.Auto, Schema, DecisionStore.Open(_folder.File("other"))));

        Assert.Equal(["r1", "r3", "r5"], result.Preferences.Select(p => p.Chosen));
        Assert.Equal("pairwise.json: task 40, response by alice@example.com: 'comparison' is 'answer1'; expected left or right", error.Message);
    }

    [Fact]
    public async Task PreferencePairs_AreWrittenInTrlsConversationalFormat_WithCorrections_SkippingPairsWhosePromptsDiffer()
    {
        var store = DecisionStore.Open(_folder.File("store"));
        ReviewImporter.Import(Export(), ExportSource.Auto, Schema, store);
        store.Add([new ReviewDecision { RecordId = "r3", Verdict = Verdict.Accept, Correction = "Tokyo is the capital of Japan.", Tool = "t", File = "f", Task = "1" }]);

        var counts = await PreferencePairs.WriteAsync(Run(), DecisionStore.Open(_folder.File("store")), _folder.File("dpo/pairs.jsonl"), CancellationToken.None);

        Assert.Equal(new PairCounts(2, 1, 0, 0), counts);
        Assert.Equal(
            [
                """{"prompt":[{"role":"user","content":"How do I reverse a list in Python?"}],"chosen":[{"role":"assistant","content":"Use reversed(x), or x[::-1] for a copy."}],"rejected":[{"role":"assistant","content":"Lists cannot be reversed."}]}""",
                """{"prompt":[{"role":"system","content":"Be brief."},{"role":"user","content":"Capital of Japan?"}],"chosen":[{"role":"assistant","content":"Tokyo is the capital of Japan."}],"rejected":[{"role":"assistant","content":"Kyoto."}]}""",
            ],
            File.ReadAllLines(_folder.File("dpo/pairs.jsonl")));
        Assert.Equal(["pairs.jsonl"], Directory.GetFileSystemEntries(_folder.File("dpo")).Select(Path.GetFileName));
    }

    [Fact]
    public async Task PreferencePairs_FromAStoreWithoutPreferences_IsAnError_NothingWritten()
    {
        var error = await Assert.ThrowsAsync<CurationException>(() => PreferencePairs.WriteAsync(Run(), DecisionStore.Open(_folder.File("empty")), _folder.File("pairs.jsonl"), CancellationToken.None));

        Assert.StartsWith($"{_folder.File("empty")}: the store holds no preferences", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(_folder.File("pairs.jsonl")));
    }

    // A finished run whose data file holds every record.
    private RunOutput Run()
    {
        _folder.Write("run/data.jsonl", string.Join('\n', Records.Select(r => JsonSerializer.Serialize(new
        {
            id = r.Id,
            messages = r.Messages.Select(m => new { role = m.Role, content = m.Content }),
        }))) + "\n");
        _folder.Write("run/manifest.json", JsonSerializer.Serialize(new { status = "completed", outputs = new[] { new { role = "data", path = _folder.File("run/data.jsonl") } } }));
        return RunOutput.Open(_folder.File("run"));
    }
}
