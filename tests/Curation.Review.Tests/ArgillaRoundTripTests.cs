using System.Text.Json.Nodes;
using Curation.Review.Argilla;
using Curation.Review.Decisions;
using Curation.Review.Import;
using Curation.Review.Queue;
using Curation.TestKit;

namespace Curation.Review.Tests;

public sealed class ArgillaRoundTripTests
{
    [Fact]
    public void Export_WritesTheToDiskLayout_WithFieldsQuestionsAndSuggestions()
    {
        using var folder = new TempFolder();
        ReviewExporter.Write(ReviewScenario.Queue(ReviewTool.Argilla), ReviewTool.Argilla, folder.Path, DecisionStore.Open(folder.File("store")), "review-sample");

        var settings = JsonNode.Parse(File.ReadAllText(folder.File(".argilla/settings.json")))!;
        Assert.Equal(["decision", "rating", "correction", "reason"], settings["questions"]!.AsArray().Select(q => q!["name"]!.GetValue<string>()));
        Assert.Equal(["label_selection", "rating", "text", "text"], settings["questions"]!.AsArray().Select(q => q!["settings"]!["type"]!.GetValue<string>()));
        Assert.Equal(["accept", "reject"], settings["questions"]![0]!["settings"]!["options"]!.AsArray().Select(o => o!["value"]!.GetValue<string>()));
        Assert.Equal(["prompt", "response"], settings["fields"]!.AsArray().Select(f => f!["name"]!.GetValue<string>()));
        Assert.All(settings["fields"]!.AsArray(), f => Assert.Equal("text", f!["type"]!.GetValue<string>()));
        var dataset = JsonNode.Parse(File.ReadAllText(folder.File(".argilla/dataset.json")))!;
        Assert.Equal("review-sample", dataset["name"]!.GetValue<string>());

        var records = JsonNode.Parse(File.ReadAllText(folder.File("records.json")))!.AsArray();
        Assert.Equal(6, records.Count);
        var fixable = records[1]!;
        Assert.Equal("fixable", fixable["id"]!.GetValue<string>());
        Assert.Equal("**user**: Capital of Australia?", fixable["fields"]!["prompt"]!.GetValue<string>());
        Assert.Equal("Sydney.", fixable["suggestions"]!["correction"]!["value"]!.GetValue<string>());
        Assert.Equal("accept", fixable["suggestions"]!["decision"]!["value"]!.GetValue<string>());
        Assert.Equal(0.55, fixable["suggestions"]!["decision"]!["score"]!.GetValue<double>());
        Assert.Equal("pending", fixable["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task RecordsJson_WithResponses_ImportsAndApplies()
    {
        using var folder = new TempFolder();
        var store = DecisionStore.Open(folder.File("store"));
        ReviewExporter.Write(ReviewScenario.Queue(ReviewTool.Argilla), ReviewTool.Argilla, folder.File("dataset"), store, "review");
        var records = JsonNode.Parse(File.ReadAllText(folder.File("dataset/records.json")))!.AsArray();
        foreach (var record in records)
        {
            record!["responses"] = Responses(record["id"]!.GetValue<string>(), record["fields"]!["response"]!.GetValue<string>());
            record["status"] = "completed";
        }

        // Dataset.to_disk after review writes the same folder, the records with their responses.
        File.WriteAllText(folder.File("dataset/records.json"), records.ToJsonString());

        var (result, update) = ReviewImporter.Import(folder.File("dataset"), ExportSource.Auto, new ReviewSchema(), DecisionStore.Open(folder.File("store")));

        Assert.Equal(5, update.Added);
        Assert.Equal(1, result.Report.Discarded);
        Assert.Equal(1, result.Report.Drafts);
        await ReviewScenario.CheckAppliedAsync(DecisionStore.Open(folder.File("store")));
    }

    [Fact]
    public void ToDiskFolder_ResponsesWithoutAStatus_AreDraftsAsArgillaLoadsThem_NothingVotes()
    {
        using var folder = new TempFolder();
        var store = DecisionStore.Open(folder.File("store"));
        ReviewExporter.Write(ReviewScenario.Queue(ReviewTool.Argilla), ReviewTool.Argilla, folder.File("dataset"), store, "review");
        var records = JsonNode.Parse(File.ReadAllText(folder.File("dataset/records.json")))!.AsArray();
        foreach (var record in records)
        {
            record!["responses"] = Responses(record["id"]!.GetValue<string>(), record["fields"]!["response"]!.GetValue<string>(), stated: false);
        }

        File.WriteAllText(folder.File("dataset/records.json"), records.ToJsonString());

        var (result, update) = ReviewImporter.Import(folder.File("dataset"), ExportSource.Argilla, new ReviewSchema(), DecisionStore.Open(folder.File("store")));

        Assert.Empty(result.Decisions);
        Assert.Equal(new StoreUpdate(0, 0, 0), update);
        Assert.False(File.Exists(folder.File("store/decisions.jsonl")));
        Assert.Equal((0, 11, 11, 6), (result.Report.CountedResponses, result.Report.Drafts, result.Report.DraftsWithoutStatus, result.Report.Undecided));
        Assert.StartsWith(
            "6 tasks, 0 responses counted (not counted: 11 drafts, 11 of them without a status, which Argilla loads as drafts (Dataset.to_disk writes none; dataset.records.to_datasets() keeps them))",
            result.Report.ToString(),
            StringComparison.Ordinal);
    }

    [Fact]
    public void AUsersStatuses_CombineAsArgillaCombinesThem()
    {
        using var folder = new TempFolder();
        folder.Write("records.json", """
            [{"id": "r1", "fields": {"prompt": "p"}, "metadata": {"record_id": "r1"}, "_server_id": null, "responses": {
              "decision": [{"value": "accept", "user_id": "stated-once", "status": "submitted"},
                           {"value": "reject", "user_id": "stated-twice-differently", "status": "submitted"},
                           {"value": "accept", "user_id": "never-stated"}],
              "reason": [{"value": "fine", "user_id": "stated-once"},
                         {"value": "hm", "user_id": "stated-twice-differently", "status": "draft"},
                         {"value": "?", "user_id": "never-stated", "status": null}]}}]
            """);

        var task = Assert.Single(ArgillaExportReader.Read(folder.File("records.json"), new ReviewSchema()));

        Assert.Equal(
            ["never-stated Draft unstated", "stated-once Submitted", "stated-twice-differently Draft"],
            task.Responses.Select(r => $"{r.Reviewer} {r.Status}{(r.StatusUnstated ? " unstated" : string.Empty)}"));
    }

    [Fact]
    public async Task FlattenedRows_AsToDatasetsWritesThem_ImportAndApply()
    {
        using var folder = new TempFolder();
        var store = DecisionStore.Open(folder.File("store"));
        ReviewExporter.Write(ReviewScenario.Queue(ReviewTool.Argilla), ReviewTool.Argilla, folder.File("dataset"), store, "review");
        var lines = new List<string>();
        foreach (var record in JsonNode.Parse(File.ReadAllText(folder.File("dataset/records.json")))!.AsArray())
        {
            var row = new JsonObject { ["id"] = record!["id"]!.DeepClone(), ["status"] = "completed", ["_server_id"] = null };
            foreach (var section in new[] { "fields", "metadata" })
            {
                foreach (var (key, value) in record[section]!.AsObject())
                {
                    row[key] = value?.DeepClone();
                }
            }

            foreach (var (question, responses) in Responses(record["id"]!.GetValue<string>(), record["fields"]!["response"]!.GetValue<string>()))
            {
                var list = responses!.AsArray();
                row[$"{question}.responses"] = new JsonArray([.. list.Select(r => r!["value"]!.DeepClone())]);
                row[$"{question}.responses.users"] = new JsonArray([.. list.Select(r => r!["user_id"]!.DeepClone())]);
                row[$"{question}.responses.status"] = new JsonArray([.. list.Select(r => (JsonNode?)JsonValue.Create(r!["status"]?.GetValue<string>() ?? "submitted"))]);
            }

            row["decision.suggestion"] = 0;
            row["decision.suggestion.score"] = 0.5;
            row["decision.suggestion.agent"] = "curate";
            lines.Add(row.ToJsonString());
        }

        File.WriteAllLines(folder.File("hub-rows.jsonl"), lines);

        var (result, update) = ReviewImporter.Import(folder.File("hub-rows.jsonl"), ExportSource.Auto, new ReviewSchema(), DecisionStore.Open(folder.File("store")));

        Assert.Equal(5, update.Added);
        Assert.Equal(3, result.Report.MultiReviewed);
        await ReviewScenario.CheckAppliedAsync(DecisionStore.Open(folder.File("store")));
    }

    [Fact]
    public void Pairs_ExportWithDuplicateAndKeepQuestions_ImportDecidesBothRecords()
    {
        using var folder = new TempFolder();
        var store = DecisionStore.Open(folder.File("store"));
        var a = Chat.Builder().WithId("a").User("Sort a list").Assistant("sorted(x)").Build();
        var b = Chat.Builder().WithId("b").User("Sort a list!").Assistant("sorted(x)").Build();
        ReviewExporter.Write(ReviewQueue.ForPairs(ReviewTool.Argilla, "pairs", [new ReviewPair(a, b, 0.83, "near")]), ReviewTool.Argilla, folder.File("pairs"), store, "pairs");
        var settings = JsonNode.Parse(File.ReadAllText(folder.File("pairs/.argilla/settings.json")))!;
        Assert.Equal(["duplicate", "keep"], settings["questions"]!.AsArray().Select(q => q!["name"]!.GetValue<string>()));
        var records = JsonNode.Parse(File.ReadAllText(folder.File("pairs/records.json")))!.AsArray();
        Assert.Equal("a~b", records[0]!["id"]!.GetValue<string>());
        records[0]!["responses"] = new JsonObject
        {
            ["duplicate"] = new JsonArray(new JsonObject { ["value"] = "duplicate", ["user_id"] = "u1", ["status"] = "submitted" }),
            ["keep"] = new JsonArray(new JsonObject { ["value"] = "right", ["user_id"] = "u1", ["status"] = "submitted" }),
        };
        File.WriteAllText(folder.File("pairs/records.json"), records.ToJsonString());

        var (result, _) = ReviewImporter.Import(folder.File("pairs"), ExportSource.Auto, new ReviewSchema(), DecisionStore.Open(folder.File("store")));

        Assert.Equal(["a reject", "b accept"], result.Decisions.Select(d => $"{d.RecordId} {d.Verdict.ToString().ToLowerInvariant()}"));
    }

    /// <summary>
    /// The scenario's answers as Argilla responses: one list per question, each {value, user_id, status}; without
    /// <paramref name="stated"/>, {value, user_id} only, as Dataset.to_disk writes them.
    /// </summary>
    private static JsonObject Responses(string recordId, string response, bool stated = true)
    {
        var questions = new JsonObject();
        void Add(string question, JsonNode value, string user, string? status)
        {
            if (questions[question] is not JsonArray list)
            {
                list = [];
                questions[question] = list;
            }

            var entry = new JsonObject { ["value"] = value, ["user_id"] = user };
            if (stated)
            {
                entry["status"] = status;
            }

            list.Add(entry);
        }

        foreach (var answer in ReviewScenario.Review(recordId))
        {
            var user = answer.Reviewer;
            var status = answer.Cancelled ? "discarded" : "submitted";
            if (answer.Decision is { } decision)
            {
                Add("decision", decision, user, status);
            }

            if (!answer.Cancelled)
            {
                Add("correction", answer.Correction ?? response, user, status);
            }
            else
            {
                Add("decision", "accept", "user-drafting", "draft");
                Add("decision", "reject", user, status);
            }

            if (answer.Rating is { } rating)
            {
                Add("rating", rating, user, status);
            }

            if (answer.Reason is { } reason)
            {
                Add("reason", reason, user, status);
            }
        }

        return questions;
    }
}
