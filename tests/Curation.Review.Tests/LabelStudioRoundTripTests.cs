using System.Text.Json.Nodes;
using Curation.Review.Decisions;
using Curation.Review.Import;
using Curation.Review.LabelStudio;
using Curation.Review.Queue;
using Curation.TestKit;

namespace Curation.Review.Tests;

public sealed class LabelStudioRoundTripTests
{
    [Theory]
    [InlineData("json")]
    [InlineData("json-min")]
    [InlineData("csv")]
    [InlineData("tsv")]
    public async Task ExportReviewImportApply_GivesWhatReviewersDecided(string format)
    {
        using var folder = new TempFolder();
        var store = DecisionStore.Open(folder.File("store"));
        ReviewExporter.Write(ReviewScenario.Queue(ReviewTool.LabelStudio), ReviewTool.LabelStudio, folder.File("export"), store, "test");
        var tasks = Path.Combine(folder.File("export"), LabelStudioTaskWriter.TasksFile);
        Func<JsonObject, IEnumerable<Answer>> review = data => ReviewScenario.Review(data["record_id"]!.GetValue<string>());
        var exported = format switch
        {
            "json" => LabelStudioExports.Full(tasks, review, folder.File("project-1.json")),
            "json-min" => LabelStudioExports.Minimal(tasks, review, folder.File("project-1-min.json")),
            "csv" => LabelStudioExports.Table(tasks, review, folder.File("project-1.csv"), ','),
            _ => LabelStudioExports.Table(tasks, review, folder.File("project-1.tsv"), '\t'),
        };

        var (result, update) = ReviewImporter.Import(exported, ExportSource.Auto, new ReviewSchema(), DecisionStore.Open(folder.File("store")));

        Assert.Equal(5, update.Added);
        Assert.Equal(3, result.Report.Accepted);
        Assert.Equal(2, result.Report.Rejected);
        Assert.Equal(format == "json" ? 1 : 0, result.Report.Undecided);
        Assert.Equal(1, result.Report.Corrected);
        Assert.Equal(1, result.Report.Ties);
        Assert.Equal(3, result.Report.MultiReviewed);
        Assert.Equal(format == "json" ? 1 : 0, result.Report.Cancelled);
        await ReviewScenario.CheckAppliedAsync(DecisionStore.Open(folder.File("store")));
    }

    [Fact]
    public void Export_WritesTasksWithPredictionsAndTheMatchingConfig()
    {
        using var folder = new TempFolder();
        var files = ReviewExporter.Write(ReviewScenario.Queue(ReviewTool.LabelStudio), ReviewTool.LabelStudio, folder.Path, DecisionStore.Open(folder.File("store")), "test");

        var tasks = JsonNode.Parse(File.ReadAllText(files[0]))!.AsArray();
        Assert.Equal(6, tasks.Count);
        var restorable = tasks[2]!;
        Assert.Equal("restorable", restorable["data"]!["record_id"]!.GetValue<string>());
        Assert.Equal("Bonjour !", restorable["data"]!["response"]!.GetValue<string>());
        Assert.Equal("user", restorable["data"]!["messages"]![0]!["role"]!.GetValue<string>());
        var prediction = restorable["predictions"]![0]!["result"]!.AsArray();
        Assert.Equal("reject", prediction[0]!["value"]!["choices"]![0]!.GetValue<string>());
        Assert.Equal("Bonjour !", prediction[1]!["value"]!["text"]![0]!.GetValue<string>());
        Assert.Equal(0.62, tasks[0]!["predictions"]![0]!["score"]!.GetValue<double>());

        var config = System.Xml.Linq.XDocument.Load(files[1]);
        var controls = config.Descendants().Where(e => e.Attribute("toName") is not null).Select(e => (e.Name.LocalName, e.Attribute("name")!.Value)).ToList();
        Assert.Equal([("Choices", "decision"), ("Rating", "rating"), ("TextArea", "correction"), ("TextArea", "reason")], controls);
        Assert.Contains(config.Descendants("Paragraphs"), p => p.Attribute("value")!.Value == "$messages");
    }

    [Fact]
    public async Task NearDuplicatePairs_DistinctRestoresTheDroppedOne_KeepRightSwaps()
    {
        using var folder = new TempFolder();
        var store = DecisionStore.Open(folder.File("store"));
        var a = Chat.Builder().WithId("a").User("Sort a list in Python").Assistant("Use sorted(x).").Build();
        var b = Chat.Builder().WithId("b").User("Sort a list in Python please").Assistant("Use sorted(x).").Build();
        var c = Chat.Builder().WithId("c").User("Reverse a list in Python").Assistant("Use x[::-1].").Build();
        var d = Chat.Builder().WithId("d").User("Reverse a list in Python!").Assistant("x[::-1] reverses it, or x.reverse() in place.").Build();
        var queue = ReviewQueue.ForPairs(ReviewTool.LabelStudio, "pairs", [new ReviewPair(a, b, 0.81, "near"), new ReviewPair(c, d, 0.79, "near")]);
        var files = ReviewExporter.Write(queue, ReviewTool.LabelStudio, folder.File("export"), store, "pairs");
        var export = LabelStudioExports.Full(files[0], data => data["right_id"]!.GetValue<string>() == "b"
            ? [new Answer("alice@example.com") { Duplicate = "distinct" }]
            : [new Answer("alice@example.com") { Duplicate = "duplicate", Keep = "right" }], folder.File("pairs.json"));

        var (result, _) = ReviewImporter.Import(export, ExportSource.Auto, new ReviewSchema(), store);

        var decisions = result.Decisions.ToDictionary(d => d.RecordId, d => d.Verdict);
        Assert.Equal(new Dictionary<string, Verdict> { ["a"] = Verdict.Accept, ["b"] = Verdict.Accept, ["c"] = Verdict.Reject, ["d"] = Verdict.Accept }, decisions);
        Assert.Equal("near-duplicate of d: reviewer kept the other", result.Decisions.Single(x => x.RecordId == "c").Reason);
        Assert.Contains("pairwise", File.ReadAllText(files[1]).ToLowerInvariant(), StringComparison.Ordinal);
    }
}
