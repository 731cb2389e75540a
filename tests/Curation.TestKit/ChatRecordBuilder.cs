using System.Collections.Immutable;
using Curation.Core.Records;

namespace Curation.TestKit;

/// <summary>Builds chat records for tests: <c>Chat.Record("hi", "hello")</c> or the fluent builder.</summary>
public sealed class ChatRecordBuilder
{
    private readonly List<Message> _messages = [];
    private string? _id;
    private SourceRef _source = new("test.jsonl", 1, SourceUnit.Line);

    public ChatRecordBuilder System(string content) => Add(Roles.System, content);

    public ChatRecordBuilder User(string content) => Add(Roles.User, content);

    public ChatRecordBuilder Assistant(string content) => Add(Roles.Assistant, content);

    public ChatRecordBuilder Add(string role, string content)
    {
        _messages.Add(new Message(role, content));
        return this;
    }

    public ChatRecordBuilder WithId(string id)
    {
        _id = id;
        return this;
    }

    public ChatRecordBuilder At(string file, long line)
    {
        _source = new SourceRef(file, line, SourceUnit.Line);
        return this;
    }

    public ChatRecord Build() => new()
    {
        Id = _id ?? RecordId.FromContent(_messages),
        Messages = [.. _messages],
        Source = _source,
    };
}

public static class Chat
{
    public static ChatRecordBuilder Builder() => new();

    public static ChatRecord Record(string prompt, string response, long line = 1) =>
        new ChatRecordBuilder().User(prompt).Assistant(response).At("test.jsonl", line).Build();

    public static ImmutableArray<Message> Messages(params (string Role, string Content)[] turns) =>
        [.. turns.Select(t => new Message(t.Role, t.Content))];
}
