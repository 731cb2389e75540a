using System.Collections.Immutable;
using System.Text.Json;
using Curation.Core.Records;

namespace Curation.IO.Tests.Writers;

internal static class SampleRecords
{
    public static ChatRecord Record(string id, params Message[] messages) => new()
    {
        Id = id,
        Messages = [.. messages],
        Source = new SourceRef("in.jsonl", 1, SourceUnit.Line),
    };

    public static ChatRecord WithMetadata(this ChatRecord record, string json)
    {
        using var document = JsonDocument.Parse(json);
        var builder = ImmutableSortedDictionary.CreateBuilder<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in document.RootElement.EnumerateObject())
        {
            builder.Add(property.Name, property.Value.Clone());
        }

        return record with { Metadata = builder.ToImmutable() };
    }

    /// <summary>A system prompt, a user turn with quotes, a newline, non-ASCII and an emoji, and a weighted answer; two metadata keys.</summary>
    public static ChatRecord Rich() => Record(
            "r1",
            new Message(Roles.System, "Be brief."),
            new Message(Roles.User, "Héllo \"quoted\"\n😀 <b>&"),
            new Message(Roles.Assistant, "Hi") { Weight = 1 })
        .WithMetadata("""{"score":2,"label":["x"]}""");

    public static ChatRecord MultiTurn() => Record(
        "r2",
        new Message(Roles.System, "S"),
        new Message(Roles.User, "u1"),
        new Message(Roles.Assistant, "a1"),
        new Message(Roles.User, "u2"),
        new Message(Roles.Assistant, "a2"));

    public static ChatRecord[] Many(int count) => Enumerable.Range(0, count).Select(i => Record(
            $"id-{i}",
            new Message(Roles.User, $"question {i} ünïcødé"),
            new Message(Roles.Assistant, $"answer {i}") { Weight = i % 3 == 0 ? 0 : null, Name = i % 5 == 0 ? "bot" : null })
        .WithMetadata($$"""{"n":{{i}}}""")).ToArray();

    /// <summary>Everything a writer must keep, as one comparable string.</summary>
    public static string Describe(ChatRecord record) =>
        record.Id + "|" + string.Join("|", record.Messages.Select(m => $"{m.Role}:{m.Content}:{m.Weight}:{m.Name}"))
        + "|" + string.Join(",", record.Metadata.Select(pair => $"{pair.Key}={pair.Value.GetRawText()}"));
}
