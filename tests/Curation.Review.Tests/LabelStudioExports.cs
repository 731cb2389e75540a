using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Curation.Review.Tests;

/// <summary>One reviewer's work on one task, as the tests script it.</summary>
internal sealed record Answer(string Reviewer)
{
    public string? Decision { get; init; }

    /// <summary>New text for the pre-filled answer; null leaves the prediction as it was.</summary>
    public string? Correction { get; init; }

    public int? Rating { get; init; }

    public string? Reason { get; init; }

    public bool Cancelled { get; init; }

    public bool GroundTruth { get; init; }

    public string? Duplicate { get; init; }

    public string? Keep { get; init; }
}

/// <summary>
/// Writes what Label Studio exports after reviewers answered the tasks of our tasks.json: the full JSON export
/// (annotation objects, completed_by as a number or an object, predictions as bare ids, drafts), JSON_MIN (one flat
/// item per annotation) and CSV/TSV (columns sorted, JSON for non-text answers), following label-studio-sdk's converter.
/// </summary>
internal static class LabelStudioExports
{
    public static string Full(string tasksPath, Func<JsonObject, IEnumerable<Answer>> review, string outPath)
    {
        var tasks = JsonNode.Parse(File.ReadAllText(tasksPath))!.AsArray();
        var export = new JsonArray();
        var annotationId = 1000;
        for (var i = 0; i < tasks.Count; i++)
        {
            var data = tasks[i]!["data"]!.AsObject();
            var annotations = new JsonArray();
            foreach (var answer in review(data))
            {
                annotations.Add(new JsonObject
                {
                    ["id"] = annotationId++,
                    ["completed_by"] = CompletedBy(answer.Reviewer),
                    ["result"] = Results(answer, data),
                    ["was_cancelled"] = answer.Cancelled,
                    ["ground_truth"] = answer.GroundTruth,
                    ["created_at"] = "2026-11-30T10:00:00.000000Z",
                    ["lead_time"] = 12.5,
                    ["parent_prediction"] = 500 + i,
                });
            }

            export.Add(new JsonObject
            {
                ["id"] = 100 + i,
                ["annotations"] = annotations,
                ["drafts"] = new JsonArray(),
                ["predictions"] = new JsonArray(500 + i),
                ["data"] = data.DeepClone(),
                ["meta"] = new JsonObject(),
                ["inner_id"] = i + 1,
            });
        }

        File.WriteAllText(outPath, export.ToJsonString());
        return outPath;
    }

    public static string Minimal(string tasksPath, Func<JsonObject, IEnumerable<Answer>> review, string outPath)
    {
        var items = new JsonArray();
        foreach (var (data, taskId, answer, annotation) in Items(tasksPath, review))
        {
            var item = (JsonObject)data.DeepClone();
            item["id"] = taskId;
            foreach (var (name, value) in Prettified(answer, data))
            {
                item[name] = value;
            }

            item["annotator"] = Annotator(answer.Reviewer);
            item["annotation_id"] = annotation;
            item["lead_time"] = 12.5;
            items.Add(item);
        }

        File.WriteAllText(outPath, items.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        return outPath;
    }

    public static string Table(string tasksPath, Func<JsonObject, IEnumerable<Answer>> review, string outPath, char separator)
    {
        var rows = new List<SortedDictionary<string, JsonNode?>>();
        foreach (var (data, taskId, answer, annotation) in Items(tasksPath, review))
        {
            var row = new SortedDictionary<string, JsonNode?>(StringComparer.Ordinal);
            foreach (var (key, value) in data)
            {
                row[key] = value?.DeepClone();
            }

            row["id"] = taskId;
            foreach (var (name, value) in Prettified(answer, data))
            {
                row[name] = value;
            }

            row["annotator"] = answer.Reviewer;
            row["annotation_id"] = annotation;
            row["lead_time"] = 12.5;
            rows.Add(row);
        }

        var columns = rows.SelectMany(r => r.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
        var text = new StringBuilder();
        text.Append(string.Join(separator, columns.Select(Quote))).Append("\r\n");
        foreach (var row in rows)
        {
            text.Append(string.Join(separator, columns.Select(c => Cell(row.GetValueOrDefault(c))))).Append("\r\n");
        }

        File.WriteAllText(outPath, text.ToString());
        return outPath;
    }

    private static IEnumerable<(JsonObject Data, int TaskId, Answer Answer, int AnnotationId)> Items(string tasksPath, Func<JsonObject, IEnumerable<Answer>> review)
    {
        var tasks = JsonNode.Parse(File.ReadAllText(tasksPath))!.AsArray();
        var annotationId = 1000;
        for (var i = 0; i < tasks.Count; i++)
        {
            var data = tasks[i]!["data"]!.AsObject();
            foreach (var answer in review(data).Where(a => !a.Cancelled))
            {
                yield return (data, 100 + i, answer, annotationId++);
            }
        }
    }

    private static JsonNode CompletedBy(string reviewer) =>
        int.TryParse(reviewer, CultureInfo.InvariantCulture, out var id) ? JsonValue.Create(id) : new JsonObject { ["id"] = reviewer.Length, ["email"] = reviewer, ["first_name"] = string.Empty };

    private static JsonNode Annotator(string reviewer) =>
        int.TryParse(reviewer, CultureInfo.InvariantCulture, out var id) ? JsonValue.Create(id) : JsonValue.Create(reviewer);

    private static JsonArray Results(Answer answer, JsonObject data)
    {
        var results = new JsonArray();
        void Add(string from, string to, string type, JsonObject value, string origin) =>
            results.Add(new JsonObject { ["id"] = $"r{results.Count}", ["from_name"] = from, ["to_name"] = to, ["type"] = type, ["value"] = value, ["origin"] = origin });
        if (answer.Decision is { } decision)
        {
            Add("decision", "dialogue", "choices", new JsonObject { ["choices"] = new JsonArray(decision) }, "manual");
        }

        if (data.ContainsKey("response"))
        {
            Add("correction", "dialogue", "textarea", new JsonObject { ["text"] = new JsonArray(answer.Correction ?? data["response"]!.GetValue<string>()) }, answer.Correction is null ? "prediction" : "prediction-changed");
        }

        if (answer.Rating is { } rating)
        {
            Add("rating", "dialogue", "rating", new JsonObject { ["rating"] = rating }, "manual");
        }

        if (answer.Reason is { } reason)
        {
            Add("reason", "dialogue", "textarea", new JsonObject { ["text"] = new JsonArray(reason) }, "manual");
        }

        if (answer.Duplicate is { } duplicate)
        {
            Add("duplicate", "left", "choices", new JsonObject { ["choices"] = new JsonArray(duplicate) }, "prediction-changed");
        }

        if (answer.Keep is { } keep)
        {
            Add("keep", "keep", "pairwise", new JsonObject { ["selected"] = keep }, "manual");
        }

        return results;
    }

    // label-studio-sdk's prettify_result: one choice or one text becomes a string; ratings and pairwise stay lists of values.
    private static IEnumerable<(string Name, JsonNode Value)> Prettified(Answer answer, JsonObject data)
    {
        if (answer.Decision is { } decision)
        {
            yield return ("decision", JsonValue.Create(decision));
        }

        if (data.ContainsKey("response"))
        {
            yield return ("correction", JsonValue.Create(answer.Correction ?? data["response"]!.GetValue<string>()));
        }

        if (answer.Rating is { } rating)
        {
            yield return ("rating", new JsonArray(new JsonObject { ["rating"] = rating }));
        }

        if (answer.Reason is { } reason)
        {
            yield return ("reason", JsonValue.Create(reason));
        }

        if (answer.Duplicate is { } duplicate)
        {
            yield return ("duplicate", JsonValue.Create(duplicate));
        }

        if (answer.Keep is { } keep)
        {
            yield return ("keep", new JsonArray(new JsonObject { ["selected"] = keep }));
        }
    }

    private static string Cell(JsonNode? value) => value switch
    {
        null => "\"\"",
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => v.ToJsonString(),
        JsonValue v when v.GetValueKind() == JsonValueKind.String => Quote(v.GetValue<string>()),
        _ => Quote(value.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping })),
    };

    private static string Quote(string text) => "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
