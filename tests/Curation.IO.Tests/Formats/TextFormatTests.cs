using Curation.TestKit;
using System.Text;
using System.Text.Json;
using Curation.IO.Formats;
using static Curation.IO.Tests.Formats.Decoding;

namespace Curation.IO.Tests.Formats;

public sealed class TextFormatTests
{
    [Fact]
    public void Decode_Text_IsASingleAssistantTurn()
    {
        Assert.Equal(["assistant: Once upon a time."], Turns(Kept("""{"text":"Once upon a time."}""")));
    }

    [Theory]
    [InlineData("""{"text":null}""", "field 'text': expected a string, got null")]
    [InlineData("""{"text":12}""", "field 'text': expected a string, got number")]
    public void Decode_NonStringText_RejectsAsSchema(string json, string detail)
    {
        var reject = Rejected(json);

        Assert.Equal(ReadRules.Schema, reject.Rule);
        Assert.Equal(detail, reject.Detail);
    }

    [SkippableFact]
    public void Decode_DoccanoTextClassificationFixture_LabelBecomesMetadata()
    {
        var path = RepositoryPaths.SharedFixture("doccano/text_classification__example.jsonl");
        Skip.If(path is null, "shared fixture not found beside the repository (../shared/fixtures)");

        var records = File.ReadAllLines(path, Encoding.UTF8).Where(line => line.Length > 0).Select(line => Kept(line)).ToArray();

        Assert.Equal(3, records.Length);
        Assert.Equal(["assistant: Terrible customer service."], Turns(records[0]));
        Assert.Equal(["label"], records[0].Metadata.Keys);
        Assert.Equal(JsonValueKind.Array, records[0].Metadata["label"].ValueKind);
        Assert.Equal("negative", records[0].Metadata["label"][0].GetString());
        Assert.Equal("positive", records[1].Metadata["label"][0].GetString());
    }
}
