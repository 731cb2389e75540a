using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Curation.Review.Tests;

/// <summary>
/// Turns a full Label Studio JSON export (a real one, such as the shared fixtures) into JSON_MIN and CSV/TSV the way
/// label-studio-sdk's converter does (converter.py: iter_from_json_file, convert_to_json_min; exports/csv2.py;
/// utils.py: prettify_result, get_annotator): one item per annotation not cancelled, newest first; the task data at
/// the top level; per question a single choice or text as a string, a Chat as the list of its messages, anything else
/// as the list of its values. In CSV, lists and objects are JSON text and a Chat adds a "{name}_transcript" column.
/// </summary>
internal static class LabelStudioConverter
{
    private static readonly JsonSerializerOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string JsonMin(string fullExport, string outPath)
    {
        var items = new JsonArray([.. Items(fullExport).Select(i => (JsonNode)i.Item)]);
        File.WriteAllText(outPath, items.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
        return outPath;
    }

    public static string Table(string fullExport, string outPath, char separator)
    {
        var rows = new List<SortedDictionary<string, string>>();
        foreach (var (item, chats) in Items(fullExport))
        {
            var row = new SortedDictionary<string, string>(StringComparer.Ordinal);
            foreach (var (key, value) in item)
            {
                row[key] = value switch
                {
                    null => string.Empty,
                    JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
                    _ => value.ToJsonString(Compact),
                };
            }

            foreach (var name in chats)
            {
                row[name + "_transcript"] = string.Join('\n', item[name]!.AsArray().Select(m => $"{m!["role"]}: {m["content"]}"));
            }

            rows.Add(row);
        }

        var columns = rows.SelectMany(r => r.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
        var text = new StringBuilder();
        text.Append(string.Join(separator, columns.Select(Quote))).Append("\r\n");
        foreach (var row in rows)
        {
            text.Append(string.Join(separator, columns.Select(c => Quote(row.GetValueOrDefault(c) ?? string.Empty)))).Append("\r\n");
        }

        File.WriteAllText(outPath, text.ToString());
        return outPath;
    }

    private static IEnumerable<(JsonObject Item, List<string> Chats)> Items(string fullExport)
    {
        foreach (var task in JsonNode.Parse(File.ReadAllText(fullExport))!.AsArray())
        {
            var annotations = (task!["annotations"] ?? task["completions"])!.AsArray()
                .Where(a => a!["was_cancelled"]?.GetValue<bool>() != true && a["skipped"]?.GetValue<bool>() != true)
                .OrderByDescending(a => a!["created_at"]?.GetValue<string>(), StringComparer.Ordinal);
            foreach (var annotation in annotations)
            {
                var item = (JsonObject)task["data"]!.DeepClone();
                item["id"] = task["id"]!.DeepClone();
                var chats = new List<string>();
                foreach (var question in annotation!["result"]!.AsArray().GroupBy(r => r!["from_name"]!.GetValue<string>()))
                {
                    var type = question.First()!["type"]!.GetValue<string>();
                    if (type == "chatmessage")
                    {
                        chats.Add(question.Key);
                    }

                    item[question.Key] = Prettified(type, [.. question.Select(r => r!["value"]!)]);
                }

                var by = annotation["completed_by"];
                item["annotator"] = by is JsonObject person ? person["email"]?.DeepClone() : by?.DeepClone();
                item["annotation_id"] = annotation["id"]?.DeepClone();
                item["created_at"] = annotation["created_at"]?.DeepClone();
                item["updated_at"] = annotation["updated_at"]?.DeepClone();
                item["lead_time"] = annotation["lead_time"]?.DeepClone();
                yield return (item, chats);
            }
        }
    }

    private static JsonNode Prettified(string type, List<JsonNode> values)
    {
        if (values.Count == 1 && type == "choices" && values[0]["choices"] is JsonArray { Count: 1 } choices)
        {
            return choices[0]!.DeepClone();
        }

        if (values.Count == 1 && type == "textarea" && values[0]["text"] is JsonArray { Count: 1 } texts)
        {
            return texts[0]!.DeepClone();
        }

        return new JsonArray([.. values.Select(v => type == "chatmessage" ? v["chatmessage"]!.DeepClone() : v.DeepClone())]);
    }

    private static string Quote(string text) => "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
