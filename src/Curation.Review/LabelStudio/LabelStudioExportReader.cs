using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Curation.Core;
using Curation.Review.Import;
using CsvHelper;
using CsvHelper.Configuration;

namespace Curation.Review.LabelStudio;

/// <summary>
/// Reads a Label Studio export: JSON (tasks with annotations, drafts and predictions, as the full export and the
/// import-with-annotations format write them), JSON_MIN (one flat item per annotation) and CSV/TSV (the same items
/// as columns, complex answers as JSON text). Real exports differ: <c>completed_by</c> is a number or an object,
/// predictions are objects or bare ids, tasks may have no id.
/// </summary>
public static class LabelStudioExportReader
{
    private static readonly HashSet<string> AnnotationColumns = new(["id", "annotator", "annotation_id", "created_at", "updated_at", "lead_time", "agreement", "history"], StringComparer.Ordinal);

    /// <summary>The export's tasks, read as they are needed: a full JSON export is never held whole.</summary>
    public static IEnumerable<ReviewedTask> Read(string path, ReviewSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        return path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".tsv", StringComparison.OrdinalIgnoreCase)
            ? ReadTable(path, schema)
            : ReadJson(path, schema);
    }

    private static IEnumerable<ReviewedTask> ReadJson(string path, ReviewSchema schema)
    {
        var name = Path.GetFileName(path);
        var keep = schema.DataFields;
        var minimal = new List<(JsonElement, string)>();
        var index = 0;
        foreach (var item in ExportFile.StreamArray(path, "a JSON array of tasks (a Label Studio JSON or JSON_MIN export)"))
        {
            if (item.ValueKind == JsonValueKind.Object && (item.TryGetProperty("annotations", out _) || item.TryGetProperty("completions", out _) || item.TryGetProperty("data", out _)))
            {
                yield return FullTask(item, index, name, schema);
            }
            else
            {
                minimal.Add((Slim(item, keep, schema), $"{name}: element {index + 1}"));
            }

            index++;
        }

        foreach (var task in ReadMinimal(minimal, schema))
        {
            yield return task;
        }
    }

    // A JSON_MIN item without the conversation and other task fields an import does not read.
    private static JsonElement Slim(JsonElement item, IReadOnlySet<string> keep, ReviewSchema schema)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            return item;
        }

        var questions = schema.Questions.ToHashSet(StringComparer.Ordinal);
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var property in item.EnumerateObject())
            {
                if (keep.Contains(property.Name) || questions.Contains(property.Name) || AnnotationColumns.Contains(property.Name))
                {
                    property.WriteTo(writer);
                }
            }

            writer.WriteEndObject();
        }

        using var slim = JsonDocument.Parse(buffer.WrittenMemory);
        return slim.RootElement.Clone();
    }

    private static ReviewedTask FullTask(JsonElement task, int index, string file, ReviewSchema schema)
    {
        var taskId = ExportFile.OptionalId(task, "id", $"{file}: element {index + 1}");
        var where = taskId is null ? $"{file}: element {index + 1}" : $"{file}: task {taskId}";
        var keep = schema.DataFields;
        var data = task.TryGetProperty("data", out var d) && d.ValueKind == JsonValueKind.Object
            ? d.EnumerateObject().Where(p => keep.Contains(p.Name)).ToImmutableSortedDictionary(p => p.Name, p => p.Value.Clone(), StringComparer.Ordinal)
            : throw new CurationException(d.ValueKind == JsonValueKind.Undefined
                ? $"{where}: 'data' is missing: expected a Label Studio task {{\"data\": {{...}}, \"annotations\": [...]}}"
                : $"{where}: field 'data': expected an object, got {ExportFile.Describe(d)}");
        var (field, annotations) = task.TryGetProperty("annotations", out var a) ? ("annotations", a) : ("completions", task.TryGetProperty("completions", out var c) ? c : default);
        var questions = schema.Questions.ToHashSet(StringComparer.Ordinal);
        var responses = annotations.ValueKind switch
        {
            JsonValueKind.Array => annotations.EnumerateArray().Select((annotation, i) => Response(annotation, i, questions, where)).ToImmutableArray(),
            JsonValueKind.Undefined or JsonValueKind.Null => [],
            _ => throw new CurationException($"{where}: field '{field}': expected a list of annotations, got {ExportFile.Describe(annotations)}"),
        };
        var drafts = task.TryGetProperty("drafts", out var draftList) && draftList.ValueKind == JsonValueKind.Array ? draftList.GetArrayLength() : 0;
        return new ReviewedTask(where, data, responses) { Drafts = drafts, TaskId = taskId ?? (index + 1).ToString(CultureInfo.InvariantCulture) };
    }

    private static ReviewerResponse Response(JsonElement annotation, int index, IReadOnlySet<string> questions, string where)
    {
        if (annotation.ValueKind != JsonValueKind.Object)
        {
            throw new CurationException(string.Create(
                CultureInfo.InvariantCulture, $"{where}, annotation {index + 1}: expected an annotation object {{completed_by, result}}, got {ExportFile.Describe(annotation)}"));
        }

        var reviewer = annotation.TryGetProperty("completed_by", out var by) ? ExportFile.Reviewer(by) : "unknown";
        var status = IsTrue(annotation, "was_cancelled") || IsTrue(annotation, "skipped") ? ResponseStatus.Cancelled
            : LastReviewRejected(annotation) ? ResponseStatus.RejectedInReview
            : ResponseStatus.Submitted;
        var answers = LabelStudioResults.FromResultList(
            annotation.TryGetProperty("result", out var result) ? result : default, questions, $"{where}, response by {reviewer}");
        return new ReviewerResponse(reviewer, status, answers) { GroundTruth = IsTrue(annotation, "ground_truth") };
    }

    // Label Studio Enterprise's review step: the last reviewer's verdict on this annotation.
    private static bool LastReviewRejected(JsonElement annotation) =>
        annotation.TryGetProperty("reviews", out var reviews) && reviews.ValueKind == JsonValueKind.Array && reviews.GetArrayLength() > 0
        && reviews[reviews.GetArrayLength() - 1] is { ValueKind: JsonValueKind.Object } last
        && last.TryGetProperty("accepted", out var accepted) && accepted.ValueKind == JsonValueKind.False;

    private static bool IsTrue(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;

    /// <summary>JSON_MIN and CSV: one item per annotation, grouped back into tasks by their id.</summary>
    private static List<ReviewedTask> ReadMinimal(IEnumerable<(JsonElement Item, string Where)> items, ReviewSchema schema)
    {
        var questions = schema.Questions.ToHashSet(StringComparer.Ordinal);
        var tasks = new List<(string Key, string Where, ImmutableSortedDictionary<string, JsonElement> Data, List<ReviewerResponse> Responses)>();
        var byKey = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (item, where) in items)
        {
            if (item.ValueKind != JsonValueKind.Object)
            {
                throw new CurationException($"{where}: expected an object (a JSON_MIN item), got {ExportFile.Describe(item)}");
            }

            var taskId = ExportFile.OptionalId(item, "id", where);
            var reviewer = item.TryGetProperty("annotator", out var annotator) ? ExportFile.Reviewer(annotator) : "unknown";
            var at = taskId is null ? where : $"{where} (task {taskId})";
            var data = ImmutableSortedDictionary.CreateBuilder<string, JsonElement>(StringComparer.Ordinal);
            var answers = ImmutableSortedDictionary.CreateBuilder<string, Answer>(StringComparer.Ordinal);
            foreach (var property in item.EnumerateObject())
            {
                if (questions.Contains(property.Name))
                {
                    if (AnswerReader.ReadFlat(property.Value, schema.KindOf(property.Name), at, property.Name) is { } answer)
                    {
                        answers[property.Name] = answer;
                    }
                }
                else if (!AnnotationColumns.Contains(property.Name) && schema.DataFields.Contains(property.Name))
                {
                    data[property.Name] = property.Value.Clone();
                }
            }

            var key = taskId ?? where;
            var response = new ReviewerResponse(reviewer, ResponseStatus.Submitted, answers.ToImmutable());
            if (byKey.TryGetValue(key, out var existing))
            {
                tasks[existing].Responses.Add(response);
            }
            else
            {
                byKey[key] = tasks.Count;
                tasks.Add((key, at, data.ToImmutable(), [response]));
            }
        }

        // An item without an annotation (Label Studio writes one for a task nobody labelled) has no answers.
        return [.. tasks.Select(t => new ReviewedTask(t.Where, t.Data, [.. t.Responses.Where(r => r.Answers.Count > 0 || r.Reviewer != "unknown")]) { TaskId = t.Key })];
    }

    private static List<ReviewedTask> ReadTable(string path, ReviewSchema schema)
    {
        var name = Path.GetFileName(path);
        string? firstLine;
        using (var head = ExportFile.OpenText(path))
        {
            firstLine = head.ReadLine() ?? throw new CurationException($"{path}: empty file: expected a header row");
        }

        var configuration = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            Delimiter = firstLine.Contains('\t', StringComparison.Ordinal) ? "\t" : ",",
            BadDataFound = null,
            DetectColumnCountChanges = true,
        };
        var items = new List<(JsonElement, string)>();
        var questions = schema.Questions.ToHashSet(StringComparer.Ordinal);
        using var reader = ExportFile.OpenText(path);
        using var csv = new CsvReader(reader, configuration);
        try
        {
            csv.Read();
            csv.ReadHeader();
            var header = csv.HeaderRecord ?? [];
            var row = 0;
            while (csv.Read())
            {
                row++;
                var buffer = new System.Buffers.ArrayBufferWriter<byte>();
                using (var writer = new Utf8JsonWriter(buffer))
                {
                    writer.WriteStartObject();
                    for (var i = 0; i < header.Length; i++)
                    {
                        var cell = csv.GetField(i) ?? string.Empty;
                        if (cell.Length == 0)
                        {
                            continue;
                        }

                        writer.WritePropertyName(header[i]);
                        WriteCell(writer, cell, questions.Contains(header[i]), header[i] == schema.Rating);
                    }

                    writer.WriteEndObject();
                }

                using var document = JsonDocument.Parse(buffer.WrittenMemory);
                items.Add((document.RootElement.Clone(), $"{name}: row {row}"));
            }
        }
        catch (CsvHelperException ex)
        {
            throw new CurationException($"{path}: row {csv.Parser.Row}: not a valid {(configuration.Delimiter == "\t" ? "TSV" : "CSV")} row ({ex.Message.Split('\n')[0]}): the export is truncated or damaged; nothing was imported", ex);
        }

        return ReadMinimal(items, schema);
    }

    // Answers that are not plain text were written as compact JSON; a rating may be a bare number.
    private static void WriteCell(Utf8JsonWriter writer, string cell, bool question, bool rating)
    {
        if (question && cell[0] is '[' or '{')
        {
            try
            {
                using var parsed = JsonDocument.Parse(cell);
                parsed.RootElement.WriteTo(writer);
                return;
            }
            catch (JsonException)
            {
            }
        }

        if (rating && double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            writer.WriteNumberValue(number);
            return;
        }

        writer.WriteStringValue(cell);
    }
}
