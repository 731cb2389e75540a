using System.Text.Json.Nodes;
using Curation.Core;
using Curation.Review.Decisions;
using Curation.Review.Import;
using Curation.Review.LabelStudio;
using Curation.Review.Queue;
using Curation.TestKit;

namespace Curation.Review.Tests;

/// <summary>A bad export stops the import with one clear message and leaves every decision already stored as it was.</summary>
public sealed class ImportErrorTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly string _tasks;
    private readonly byte[] _storeBefore;

    public ImportErrorTests()
    {
        var store = DecisionStore.Open(_folder.File("store"));
        ReviewExporter.Write(ReviewScenario.Queue(ReviewTool.LabelStudio), ReviewTool.LabelStudio, _folder.File("export"), store, "test");
        _tasks = Path.Combine(_folder.File("export"), LabelStudioTaskWriter.TasksFile);
        var first = LabelStudioExports.Full(_tasks, data => ReviewScenario.Review(data["record_id"]!.GetValue<string>()), _folder.File("first.json"));
        ReviewImporter.Import(first, ExportSource.Auto, new ReviewSchema(), DecisionStore.Open(_folder.File("store")));
        _storeBefore = File.ReadAllBytes(_folder.File("store/decisions.jsonl"));
    }

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void ExportOfAnotherStore_NamesTheBatch()
    {
        var other = DecisionStore.Open(_folder.File("other-store"));
        var queue = ReviewQueue.ForRecords(ReviewTool.LabelStudio, "elsewhere", [new ReviewItem(Chat.Builder().WithId("x").User("q").Assistant("a").Build(), "r", Verdict.Accept, null, "kept")]);
        ReviewExporter.Write(queue, ReviewTool.LabelStudio, _folder.File("other"), other, "other");
        var export = LabelStudioExports.Full(Path.Combine(_folder.File("other"), LabelStudioTaskWriter.TasksFile), _ => [new Answer("alice@example.com") { Decision = "reject" }], _folder.File("other.json"));

        var error = ImportFails(export);

        Assert.Equal($"other.json: task 100: batch '{queue.Batch.Id}' is not in the review store {_folder.File("store")}: an export from another project or store? (1 batches known)", error);
    }

    [Fact]
    public void MissingRecordId_SaysWhichTaskAndField()
    {
        var export = Edited(tasks => tasks[3]!["data"]!.AsObject().Remove("record_id"));

        Assert.Equal("edited.json: task 103: 'record_id' is missing: expected the record id in the task's data", ImportFails(export));
    }

    [Fact]
    public void RecordNotInTheBatch_IsAnError()
    {
        var export = Edited(tasks => tasks[0]!["data"]!["record_id"] = "someone-else");

        Assert.Contains("task 100: record 'someone-else' was not exported in batch", ImportFails(export), StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownChoice_NamesTheTaskReviewerAndExpectedValues()
    {
        var export = Edited(tasks => tasks[1]!["annotations"]![0]!["result"]![0]!["value"]!["choices"]![0] = "maybe");

        Assert.Equal("edited.json: task 101, response by alice@example.com: 'decision' is 'maybe'; expected one of accept, reject", ImportFails(export));
    }

    [Fact]
    public void RatingOutOfRange_IsAnError()
    {
        var export = Edited(tasks => tasks[0]!["annotations"]![0]!["result"]![2]!["value"]!["rating"] = 9);

        Assert.Equal("edited.json: task 100, response by alice@example.com: 'rating' is 9; expected 1 to 5", ImportFails(export));
    }

    [Fact]
    public void TruncatedJson_SaysWhere()
    {
        var full = File.ReadAllText(LabelStudioExports.Full(_tasks, data => ReviewScenario.Review(data["record_id"]!.GetValue<string>()), _folder.File("full.json")));
        File.WriteAllText(_folder.File("truncated.json"), full[..(full.Length / 2)]);

        var error = ImportFails(_folder.File("truncated.json"));

        Assert.StartsWith($"{_folder.File("truncated.json")}: not valid JSON at line 1, byte ", error, StringComparison.Ordinal);
        Assert.EndsWith("the export is truncated or damaged; nothing was imported", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TruncatedCsv_SaysWhere()
    {
        var csv = File.ReadAllText(LabelStudioExports.Table(_tasks, data => ReviewScenario.Review(data["record_id"]!.GetValue<string>()), _folder.File("full.csv"), ','));
        File.WriteAllText(_folder.File("truncated.csv"), csv[..(csv.LastIndexOf("\r\n", csv.Length - 3, StringComparison.Ordinal) + 60)]);

        var error = ImportFails(_folder.File("truncated.csv"));

        Assert.Contains("truncated.csv: row ", error, StringComparison.Ordinal);
        Assert.EndsWith("the export is truncated or damaged; nothing was imported", error, StringComparison.Ordinal);
    }

    [Fact]
    public void ReimportingTheSameExport_ChangesNothing_ANewVerdictIsAppendedAndWins()
    {
        var again = LabelStudioExports.Full(_tasks, data => ReviewScenario.Review(data["record_id"]!.GetValue<string>()), _folder.File("again.json"));
        var (_, unchanged) = ReviewImporter.Import(again, ExportSource.Auto, new ReviewSchema(), DecisionStore.Open(_folder.File("store")));
        Assert.Equal(new StoreUpdate(0, 0, 5), unchanged);
        Assert.Equal(_storeBefore, File.ReadAllBytes(_folder.File("store/decisions.jsonl")));

        var changed = LabelStudioExports.Full(
            _tasks,
            data => data["record_id"]!.GetValue<string>() == "good" ? [new Answer("carol@example.com") { Decision = "reject" }] : [],
            _folder.File("changed.json"));
        var (_, update) = ReviewImporter.Import(changed, ExportSource.Auto, new ReviewSchema(), DecisionStore.Open(_folder.File("store")));

        Assert.Equal(new StoreUpdate(0, 1, 0), update);
        var store = DecisionStore.Open(_folder.File("store"));
        Assert.Equal(Verdict.Reject, store.Decisions["good"].Verdict);
        Assert.Equal(Verdict.Accept, store.Decisions["fixable"].Verdict);
    }

    private string Edited(Action<JsonArray> edit)
    {
        var path = LabelStudioExports.Full(_tasks, data => ReviewScenario.Review(data["record_id"]!.GetValue<string>()), _folder.File("edited.json"));
        var tasks = JsonNode.Parse(File.ReadAllText(path))!.AsArray();
        edit(tasks);
        File.WriteAllText(path, tasks.ToJsonString());
        return path;
    }

    private string ImportFails(string export)
    {
        var error = Assert.Throws<CurationException>(() => ReviewImporter.Import(export, ExportSource.Auto, new ReviewSchema(), DecisionStore.Open(_folder.File("store"))));
        Assert.Equal(_storeBefore, File.ReadAllBytes(_folder.File("store/decisions.jsonl")));
        Assert.Equal(5, DecisionStore.Open(_folder.File("store")).Decisions.Count);
        return error.Message;
    }
}
