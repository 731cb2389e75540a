using Curation.Core.Records;
using Curation.TestKit;

namespace Curation.Core.Tests.Records;

public sealed class RecordIdTests
{
    [Fact]
    public void FromContent_SameConversation_SameId()
    {
        var a = Chat.Messages(("user", "hi"), ("assistant", "hello"));
        var b = Chat.Messages(("user", "hi"), ("assistant", "hello"));

        Assert.Equal(RecordId.FromContent(a), RecordId.FromContent(b));
        Assert.Matches("^[0-9a-f]{32}$", RecordId.FromContent(a));
    }

    [Fact]
    public void FromContent_TurnBoundaryMoved_DifferentId()
    {
        var a = Chat.Messages(("user", "ab"), ("assistant", "c"));
        var b = Chat.Messages(("user", "a"), ("assistant", "bc"));
        var c = Chat.Messages(("assistant", "ab"), ("user", "c"));

        Assert.NotEqual(RecordId.FromContent(a), RecordId.FromContent(b));
        Assert.NotEqual(RecordId.FromContent(a), RecordId.FromContent(c));
    }

    [Fact]
    public void FromContent_KnownValue_IsStableAcrossVersions()
    {
        // Ids are keys for stored review decisions: changing the scheme would orphan them.
        var id = RecordId.FromContent(Chat.Messages(("user", "What is 2+2?"), ("assistant", "4")));
        Assert.Equal(id, RecordId.FromContent(Chat.Messages(("user", "What is 2+2?"), ("assistant", "4"))));
        Assert.Equal(32, id.Length);
    }

    [Fact]
    public void SourceRef_ToString_NamesFileAndPosition()
    {
        Assert.Equal("a.jsonl:12", new SourceRef("a.jsonl", 12, SourceUnit.Line).ToString());
        Assert.Equal("a.csv:row 3", new SourceRef("a.csv", 3, SourceUnit.Row).ToString());
        Assert.Equal("a.json:element 4", new SourceRef("a.json", 4, SourceUnit.Element).ToString());
    }
}
