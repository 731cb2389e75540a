using System.Text.Json.Nodes;
using Curation.Core;
using Curation.Review.Argilla;
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

    [Theory]
    [InlineData("choices is a number", "result 1: field 'choices' of 'decision': expected a list of strings, got a number")]
    [InlineData("a choice is an object", "result 1: field 'choices' of 'decision': expected a list of strings, got an object in the list")]
    [InlineData("text is a number", "result 2: field 'text' of 'correction': expected a string or a list of strings, got a number")]
    [InlineData("rating is a string", "result 3: field 'rating' of 'rating': expected a number, got a string")]
    [InlineData("from_name is a number", "result 1: field 'from_name': expected a string, got a number")]
    [InlineData("value is a list", "result 1: field 'value' of 'decision': expected an object, got a list")]
    public void AnswerOfTheWrongType_NamesTaskReviewerResultAndField(string edit, string expected)
    {
        var export = Edited(tasks =>
        {
            var results = tasks[0]!["annotations"]![0]!["result"]!.AsArray();
            switch (edit)
            {
                case "choices is a number": results[0]!["value"]!["choices"] = 5; break;
                case "a choice is an object": results[0]!["value"]!["choices"] = new JsonArray(new JsonObject { ["choice"] = "reject" }); break;
                case "text is a number": results[1]!["value"]!["text"] = 42; break;
                case "rating is a string": results[2]!["value"]!["rating"] = "one"; break;
                case "from_name is a number": results[0]!["from_name"] = 7; break;
                default: results[0]!["value"] = new JsonArray("reject"); break;
            }
        });

        Assert.Equal($"edited.json: task 100, response by alice@example.com, {expected}", ImportFails(export));
    }

    [Theory]
    [InlineData("annotations", "task 100: field 'annotations': expected a list of annotations, got an object")]
    [InlineData("record_id", "task 100: field 'record_id': expected the record id (a string or a number), got a list")]
    [InlineData("review_batch", "task 100: field 'review_batch': expected the batch id (a string), got a number")]
    [InlineData("data", "task 100: field 'data': expected an object, got a string")]
    [InlineData("id", "element 1: field 'id': expected an id (a string or a number), got an object")]
    public void TaskFieldOfTheWrongType_NamesTaskAndField(string field, string expected)
    {
        var export = Edited(tasks =>
        {
            var task = tasks[0]!;
            switch (field)
            {
                case "annotations": task["annotations"] = new JsonObject(); break;
                case "record_id": task["data"]!["record_id"] = new JsonArray("wrong"); break;
                case "review_batch": task["data"]!["review_batch"] = 1; break;
                case "data": task["data"] = "wrong"; break;
                default: task["id"] = new JsonObject { ["n"] = 100 }; break;
            }
        });

        Assert.Equal($"edited.json: {expected}", ImportFails(export));
    }

    [Theory]
    [InlineData("decision", "5", "'decision': expected a choice (a string or a list of strings), got a number")]
    [InlineData("decision", """{"verdict": "accept"}""", "'decision': expected a choice (a string or a list of strings), got an object")]
    [InlineData("correction", "42", "'correction': expected a text (a string), got a number")]
    [InlineData("rating", "\"five\"", "'rating': expected a rating (a number), got a string")]
    public void JsonMinAnswerOfTheWrongType_NamesItemTaskAndField(string question, string value, string expected)
    {
        var path = LabelStudioExports.Minimal(_tasks, data => ReviewScenario.Review(data["record_id"]!.GetValue<string>()), _folder.File("min.json"));
        var items = JsonNode.Parse(File.ReadAllText(path))!.AsArray();
        items[0]![question] = JsonNode.Parse(value);
        File.WriteAllText(path, items.ToJsonString());

        Assert.Equal($"min.json: element 1 (task 100): field {expected}", ImportFails(path));
    }

    [Theory]
    [InlineData("value", "'decision': expected a choice (a string or a list of strings), got a number")]
    [InlineData("status", "field 'status': expected submitted, draft or discarded, got a number")]
    public void ArgillaResponseOfTheWrongType_NamesRecordReviewerAndField(string field, string expected)
    {
        ReviewExporter.Write(ReviewScenario.Queue(ReviewTool.Argilla), ReviewTool.Argilla, _folder.File("argilla"), DecisionStore.Open(_folder.File("argilla-store")), "test");
        var path = Path.Combine(_folder.File("argilla"), ArgillaExportReader.RecordsFile);
        var records = JsonNode.Parse(File.ReadAllText(path))!.AsArray();
        var response = new JsonObject { ["value"] = "reject", ["user_id"] = "alice@example.com", ["status"] = "submitted" };
        response[field] = 3;
        records[0]!["responses"] = new JsonObject { ["decision"] = new JsonArray(response) };
        File.WriteAllText(path, records.ToJsonString());

        var error = ImportFails(_folder.File("argilla"), ExportSource.Argilla);

        Assert.Equal(field == "value" ? $"records.json: record 1 (id wrong), response by alice@example.com: field {expected}" : $"records.json: record 1 (id wrong): {expected}", error);
    }

    [Fact]
    public void ArgillaExport_ReadAsLabelStudio_SaysWhichToolToName()
    {
        ReviewExporter.Write(ReviewScenario.Queue(ReviewTool.Argilla), ReviewTool.Argilla, _folder.File("argilla"), DecisionStore.Open(_folder.File("argilla-store")), "test");
        var records = Path.Combine(_folder.File("argilla"), ArgillaExportReader.RecordsFile);
        var rows = _folder.Write("rows.jsonl", """{"id": "wrong", "decision.responses": ["reject"], "decision.responses.users": ["u"], "decision.responses.status": ["submitted"]}""" + "\n");

        Assert.Equal(
            $"{_folder.File("argilla")}: this is an Argilla dataset folder (as Dataset.to_disk writes it), not a Label Studio one; use --tool argilla",
            ImportFails(_folder.File("argilla"), ExportSource.LabelStudio));
        Assert.Equal(
            $"{records}: this is an Argilla export (records with 'fields' and 'responses', or rows with 'question.responses' columns), not a Label Studio one; use --tool argilla",
            ImportFails(records, ExportSource.LabelStudio));
        Assert.StartsWith($"{rows}: this is an Argilla export", ImportFails(rows, ExportSource.LabelStudio), StringComparison.Ordinal);
    }

    [Fact]
    public void LabelStudioExport_ReadAsArgilla_SaysWhichToolToName()
    {
        Func<JsonObject, IEnumerable<Answer>> review = data => ReviewScenario.Review(data["record_id"]!.GetValue<string>());
        var full = LabelStudioExports.Full(_tasks, review, _folder.File("full.json"));
        var min = LabelStudioExports.Minimal(_tasks, review, _folder.File("min.json"));
        var csv = LabelStudioExports.Table(_tasks, review, _folder.File("rows.csv"), ',');

        Assert.Equal($"{full}: this is a Label Studio export (tasks with 'data' and 'annotations'), not an Argilla one; use --tool label-studio", ImportFails(full, ExportSource.Argilla));
        Assert.Equal($"{min}: this is a Label Studio JSON_MIN export (items with 'annotator'), not an Argilla one; use --tool label-studio", ImportFails(min, ExportSource.Argilla));
        Assert.Equal($"{csv}: this is a Label Studio CSV/TSV export, not an Argilla one; use --tool label-studio", ImportFails(csv, ExportSource.Argilla));
    }

    private string Edited(Action<JsonArray> edit)
    {
        var path = LabelStudioExports.Full(_tasks, data => ReviewScenario.Review(data["record_id"]!.GetValue<string>()), _folder.File("edited.json"));
        var tasks = JsonNode.Parse(File.ReadAllText(path))!.AsArray();
        edit(tasks);
        File.WriteAllText(path, tasks.ToJsonString());
        return path;
    }

    private string ImportFails(string export, ExportSource source = ExportSource.Auto)
    {
        var error = Assert.Throws<CurationException>(() => ReviewImporter.Import(export, source, new ReviewSchema(), DecisionStore.Open(_folder.File("store"))));
        Assert.Equal(_storeBefore, File.ReadAllBytes(_folder.File("store/decisions.jsonl")));
        Assert.Equal(5, DecisionStore.Open(_folder.File("store")).Decisions.Count);
        return error.Message;
    }
}
