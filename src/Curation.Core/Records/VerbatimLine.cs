using System.Collections.Immutable;

namespace Curation.Core.Records;

/// <summary>
/// The input line a record was decoded from, kept when it is byte for byte the line the JSON Lines writer would give
/// that record, so that a record no stage changed is written by copying its line instead of encoding it again. It
/// vouches only for the values it was decoded into: a copy of the record made with <c>with</c> and anything changed
/// no longer matches it, and is encoded as usual.
/// </summary>
public sealed class VerbatimLine
{
    private readonly string _id;
    private readonly ImmutableArray<Message> _messages;

    /// <param name="utf8">The compact OpenAI line (<c>{"id":…,"messages":[…]}</c>), without its line break.</param>
    /// <param name="id">The id read from the line, as the record holds it.</param>
    /// <param name="messages">The turns read from the line, as the record holds them.</param>
    public VerbatimLine(ReadOnlyMemory<byte> utf8, string id, ImmutableArray<Message> messages)
    {
        ArgumentNullException.ThrowIfNull(id);
        Utf8 = utf8;
        _id = id;
        _messages = messages;
    }

    public ReadOnlyMemory<byte> Utf8 { get; }

    /// <summary>
    /// Whether <paramref name="record"/> still holds exactly what the line was decoded into: the same id and turns
    /// (the same instances: strings, messages and arrays cannot change) and no metadata.
    /// </summary>
    public bool Matches(ChatRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return ReferenceEquals(record.Id, _id) && record.HasInputId && record.Messages == _messages && record.Metadata.IsEmpty;
    }
}
