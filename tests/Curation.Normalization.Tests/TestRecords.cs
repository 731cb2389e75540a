using Curation.Core.Records;

namespace Curation.Normalization.Tests;

/// <summary>Tiny record builder for these tests: <c>TestRecords.Of(("user", "hi"), ("assistant", "hello"))</c>.</summary>
internal static class TestRecords
{
    public static ChatRecord Of(params (string Role, string Content)[] turns) => new()
    {
        Id = "test-id",
        Messages = [.. turns.Select(t => new Message(t.Role, t.Content))],
        Source = new SourceRef("test.jsonl", 7, SourceUnit.Line),
    };

    public static ChatRecord Chat(string user, string assistant) => Of(("user", user), ("assistant", assistant));

    public static ChatRecord WithMessage(this ChatRecord record, int index, Func<Message, Message> change) =>
        record with { Messages = record.Messages.SetItem(index, change(record.Messages[index])) };
}
