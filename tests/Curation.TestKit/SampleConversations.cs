using System.Collections.Immutable;
using System.Text.Json;
using Curation.Core.Records;

namespace Curation.TestKit;

/// <summary>
/// Real conversations from <c>datasets-sample/openai/support.jsonl</c> (support chats with system prompts, several
/// turns, prices, order numbers), for tests that want realistic text rather than made-up lines.
/// </summary>
public static class SampleConversations
{
    private static readonly Lazy<IReadOnlyList<ChatRecord>> All = new(Load);

    /// <summary>The first <paramref name="count"/> well-formed conversations of the file, in file order, with their ids and categories.</summary>
    public static IReadOnlyList<ChatRecord> Take(int count) => [.. All.Value.Take(count)];

    private static List<ChatRecord> Load()
    {
        var path = Path.Combine(RepositoryPaths.Root, "datasets-sample", "openai", "support.jsonl");
        var records = new List<ChatRecord>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var line = 0;
        foreach (var text in File.ReadLines(path))
        {
            line++;
            if (Parse(text, path, line) is { } record && ids.Add(record.Id))
            {
                records.Add(record);
            }
        }

        return records;
    }

    private static ChatRecord? Parse(string text, string path, int line)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            var messages = root.GetProperty("messages").EnumerateArray()
                .Select(turn => new Message(Text(turn, "role"), Text(turn, "content")))
                .ToImmutableArray();
            var metadata = ImmutableSortedDictionary<string, JsonElement>.Empty.WithComparers(StringComparer.Ordinal);
            if (root.TryGetProperty("category", out var category))
            {
                metadata = metadata.Add("category", category.Clone());
            }

            return new ChatRecord
            {
                Id = Text(root, "id"),
                HasInputId = true,
                Messages = messages,
                Source = new SourceRef(Path.GetFileName(path), line, SourceUnit.Line),
                Metadata = metadata,
            };
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            // The file has planted malformed lines; they are the reader's business, not a stage's.
            return null;
        }
    }

    private static string Text(JsonElement element, string key) =>
        element.GetProperty(key).GetString() ?? throw new InvalidOperationException($"'{key}' is null");
}
