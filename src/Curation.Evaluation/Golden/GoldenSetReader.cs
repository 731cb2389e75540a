using System.Text.Json;
using Curation.Core;
using Curation.Core.Records;
using Curation.IO.Inputs;

namespace Curation.Evaluation.Golden;

/// <summary>
/// Reads a golden set from files in any format the pipeline reads. An item's expected answer is its last assistant
/// turn (or an <c>expected</c> field); the turns before it are the prompt. Optional fields beside the conversation:
/// <c>tags</c> (a list or a comma-separated string), <c>schema</c> (a JSON Schema, as an object or JSON text),
/// <c>pattern</c> (a regular expression extracting the answer) and <c>choices</c> (labels of a multiple-choice item).
/// </summary>
internal static class GoldenSetReader
{
    public static async Task<IReadOnlyList<GoldenItem>> ReadAsync(string path, int limit, CancellationToken cancellationToken)
    {
        var records = await ChatRecordFiles.ReadAsync([path], Environment.CurrentDirectory, cancellationToken);
        var items = new List<GoldenItem>(records.Count);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var record in limit > 0 ? records.Take(limit) : records)
        {
            var item = ItemOf(record);
            if (!ids.Add(item.Id))
            {
                throw new CurationException($"{record.Source}: id '{item.Id}' is used by an earlier golden item; ids must be unique");
            }

            items.Add(item);
        }

        return items.Count > 0 ? items : throw new CurationException($"{path}: the golden set has no items");
    }

    public static GoldenItem ItemOf(ChatRecord record)
    {
        var messages = record.Messages;
        var answerIndex = messages.Length > 0 && messages[^1].Role == Roles.Assistant ? messages.Length - 1 : -1;
        var prompt = answerIndex >= 0 ? messages[..answerIndex] : messages;
        if (!prompt.Any(message => message.Role == Roles.User))
        {
            throw new CurationException($"{record.Source}: field 'messages': expected a user turn before the answer");
        }

        var expected = Text(record, "expected") ?? (answerIndex >= 0 ? messages[answerIndex].Content : null);
        return new GoldenItem(record.Id, prompt, expected, Tags(record))
        {
            Schema = record.Metadata.TryGetValue("schema", out var schema)
                ? schema.ValueKind == JsonValueKind.String ? schema.GetString() : schema.GetRawText()
                : null,
            Pattern = Text(record, "pattern"),
            Choices = List(record, "choices"),
        };
    }

    private static string[] Tags(ChatRecord record)
    {
        if (record.Metadata.TryGetValue("tags", out var tags) && tags.ValueKind == JsonValueKind.String)
        {
            return tags.GetString()!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        }

        return List(record, "tags");
    }

    private static string? Text(ChatRecord record, string field)
    {
        if (!record.Metadata.TryGetValue(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw new CurationException($"{record.Source}: field '{field}': expected a string, got {value.ValueKind.ToString().ToLowerInvariant()}");
    }

    private static string[] List(ChatRecord record, string field)
    {
        if (!record.Metadata.TryGetValue(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        if (value.ValueKind != JsonValueKind.Array || value.EnumerateArray().Any(element => element.ValueKind != JsonValueKind.String))
        {
            throw new CurationException($"{record.Source}: field '{field}': expected a list of strings");
        }

        return value.EnumerateArray().Select(element => element.GetString()!).ToArray();
    }
}
