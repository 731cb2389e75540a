using System.Text.Json;
using Curation.Dedup.Near;

namespace Curation.Dedup.Tests.Near;

public class ClusterMetadataTests
{
    [Theory]
    [InlineData("chat-000000001")]
    [InlineData("")]
    [InlineData("quote \" backslash \\ tab \t <html> & 'x'")]
    [InlineData("naïve 😀 \u2028 \u0001")]
    public void Id_IsTheSerializersValue(string id)
    {
        Assert.Equal(JsonSerializer.SerializeToElement(id).GetRawText(), ClusterMetadata.Id(id).GetRawText());
    }

    [Fact]
    public void Ids_OfABatch_AreEachTheSerializersValue_InOrder()
    {
        string[] ids = ["chat-000000001", "", "quote \" backslash \\ tab \t", "naïve 😀 \u2028 \u0001", new string('x', 5000), "chat-000000001"];

        var values = ClusterMetadata.Ids(ids);

        Assert.Equal(ids.Select(id => JsonSerializer.SerializeToElement(id).GetRawText()), values.Select(value => value.GetRawText()));
        Assert.Equal(ids, values.Select(value => value.GetString()));
    }

    [Fact]
    public void Ids_OfAnEmptyBatch_AreNone()
    {
        Assert.Empty(ClusterMetadata.Ids([]));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(1023)]
    [InlineData(1024)]
    [InlineData(1_000_000)]
    public void Size_IsTheSerializersValue(int size)
    {
        Assert.Equal(JsonSerializer.SerializeToElement(size).GetRawText(), ClusterMetadata.Size(size).GetRawText());
    }
}
