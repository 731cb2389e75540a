using Curation.TestKit;
using System.Text;
using Curation.Core.Records;
using Curation.IO.Formats;
using static Curation.IO.Tests.Formats.Decoding;

namespace Curation.IO.Tests.Formats;

public sealed class OpenAiMessagesFormatTests
{
    [Fact]
    public void Decode_Messages_KeepsRolesAsWrittenWithWeightAndName()
    {
        var record = Kept("""{"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hi","name":"ann"},{"role":"assistant","content":"Hello","weight":0},{"role":"bot","content":"?"}]}""");

        Assert.Equal(["system: Be brief.", "user: Hi", "assistant: Hello", "bot: ?"], Turns(record));
        Assert.Equal("ann", record.Messages[1].Name);
        Assert.Equal(0d, record.Messages[2].Weight);
        Assert.Null(record.Messages[0].Weight);
        Assert.Null(record.Messages[0].Name);
    }

    [Fact]
    public void Decode_ContentParts_JoinsTheTextParts()
    {
        var record = Kept("""{"messages":[{"role":"user","content":[{"type":"text","text":"Hello, "},{"type":"text","text":"world"}]},{"role":"assistant","content":[{"type":"text","text":"Hi"}]}]}""");

        Assert.Equal(["user: Hello, world", "assistant: Hi"], Turns(record));
    }

    [Fact]
    public void Decode_ImagePart_RejectsNamingThePart()
    {
        var reject = Rejected("""{"messages":[{"role":"user","content":[{"type":"text","text":"See"},{"type":"image_url","image_url":{"url":"x"}}]}]}""");

        Assert.Equal(ReadRules.Schema, reject.Rule);
        Assert.Equal("field 'messages[0].content[1].type': expected 'text', got 'image_url' (only text parts can be kept)", reject.Detail);
    }

    [Theory]
    [InlineData("""{"messages":[{"role":"user","content":"a","content":"b"}]}""", "field 'messages[0].content': appears more than once")]
    [InlineData("""{"messages":[{"role":"user","content":"a"},{"role":"assistant","role":"user","content":"b"}]}""", "field 'messages[1].role': appears more than once")]
    [InlineData("""{"messages":[{"role":"user","content":"a","r\u006fle":"assistant"}]}""", "field 'messages[0].role': appears more than once")]
    [InlineData("""{"messages":[{"role":"user","content":"a","weight":1,"weight":0}]}""", "field 'messages[0].weight': appears more than once")]
    [InlineData("""{"messages":[{"role":"user","content":"a","name":"x","name":"y"}]}""", "field 'messages[0].name': appears more than once")]
    [InlineData("""{"messages":[{"role":"user","content":"a","extra":1,"extra":2}]}""", "field 'messages[0].extra': appears more than once")]
    [InlineData("""{"messages":[{"role":"user","content":[{"type":"text","text":"a","text":"b"}]}]}""", "field 'messages[0].content[0].text': appears more than once")]
    [InlineData("""{"messages":[{"role":"user","content":[{"type":"text","text":"a"},{"type":"text","type":"image_url","text":"b"}]}]}""", "field 'messages[0].content[1].type': appears more than once")]
    public void Decode_KeyRepeatedInATurn_RejectsAsSchemaNamingTheTurnAndKey(string json, string detail)
    {
        var reject = Rejected(json);

        Assert.Equal(ReadRules.Schema, reject.Rule);
        Assert.Equal(detail, reject.Detail);
    }

    [Fact]
    public void Decode_KeyRepeatedInATurnWithFixedFormat_RejectsToo()
    {
        var reject = Rejected("""{"messages":[{"role":"user","content":"a","content":"b"}]}""", Options(InputFormat.OpenAi));

        Assert.Equal("field 'messages[0].content': appears more than once", reject.Detail);
    }

    [Theory]
    [InlineData("""{"messages":"hello"}""", "field 'messages': expected an array, got string")]
    [InlineData("""{"messages":[{"role":"user","content":"a"},{"role":"assistant","content":"b"},{"role":7,"content":"c"}]}""", "field 'messages[2].role': expected a string, got number")]
    [InlineData("""{"messages":[{"role":"user","content":null}]}""", "field 'messages[0].content': expected a string or an array of text parts, got null")]
    [InlineData("""{"messages":[{"role":"user","content":42}]}""", "field 'messages[0].content': expected a string or an array of text parts, got number")]
    [InlineData("""{"messages":[{"role":"user"}]}""", "field 'messages[0].content': missing")]
    [InlineData("""{"messages":[{"content":"a"}]}""", "field 'messages[0].role': missing")]
    [InlineData("""{"messages":["hi"]}""", "field 'messages[0]': expected an object, got string")]
    [InlineData("""{"messages":[{"role":"user","content":"a","weight":"1"}]}""", "field 'messages[0].weight': expected a number, got string")]
    [InlineData("""{"messages":[{"role":"user","content":"a","name":false}]}""", "field 'messages[0].name': expected a string, got boolean")]
    [InlineData("""{"messages":[{"role":"user","content":["a"]}]}""", "field 'messages[0].content[0]': expected an object with type and text, got string")]
    [InlineData("""{"messages":[{"role":"user","content":[{"type":"text"}]}]}""", "field 'messages[0].content[0].text': missing")]
    [InlineData("""{"messages":[{"role":"assistant","content":"","tool_calls":[{"id":"c1"}]}]}""", "field 'messages[0].tool_calls': tool calls are not supported; a turn keeps only role, content, weight and name")]
    public void Decode_WrongShape_RejectsAsSchemaNamingTheField(string json, string detail)
    {
        var reject = Rejected(json);

        Assert.Equal(ReadRules.Schema, reject.Rule);
        Assert.Equal(detail, reject.Detail);
        Assert.Equal(json, reject.RawText);
    }

    [Fact]
    public void Decode_NullToolCallsAndUnknownTurnKeys_AreIgnored()
    {
        var record = Kept("""{"messages":[{"role":"assistant","content":"a","tool_calls":null,"function_call":null,"createdAt":"2024-01-01"}]}""");

        Assert.Equal(["assistant: a"], Turns(record));
    }

    [Fact]
    public void Decode_EmptyContent_IsKeptForValidationToJudge()
    {
        var record = Kept("""{"messages":[{"role":"user","content":"q"},{"role":"assistant","content":""}]}""");

        Assert.Equal("", record.Messages[1].Content);
    }

    [Fact]
    public void Decode_TopLevelSystem_IsPrependedAndNotMetadata()
    {
        var record = Kept("""{"system":"Be kind.","messages":[{"role":"user","content":"q"}]}""");

        Assert.Equal(["system: Be kind.", "user: q"], Turns(record));
        Assert.Empty(record.Metadata);
    }

    [Fact]
    public void Decode_EscapesAndNonAscii_AreUnescapedIntoContent()
    {
        var record = Kept("""{"messages":[{"role":"user","content":"line1\nline2 \"q\" \u00e9 中文 😀"}]}""");

        Assert.Equal("line1\nline2 \"q\" é 中文 😀", record.Messages[0].Content);
    }

    [SkippableFact]
    public void Decode_HurricaneFixture_EveryLineIsAThreeTurnChat()
    {
        var path = RepositoryPaths.SharedFixture("label-studio-examples/qa_pairs_openai_wiki_hurricane_dataset_format.jsonl");
        Skip.If(path is null, "shared fixture not found beside the repository (../shared/fixtures)");

        var decoder = new RecordDecoder(new Core.Config.InputOptions());
        var lines = File.ReadAllLines(path, Encoding.UTF8).Where(line => line.Length > 0).ToArray();
        var records = lines.Select((line, i) => decoder.Decode(new RawItem(Encoding.UTF8.GetBytes(line), new SourceRef(path, i + 1, SourceUnit.Line)), i)).ToArray();

        Assert.Equal(23, records.Length);
        Assert.All(records, envelope =>
        {
            Assert.True(envelope.IsKept, envelope.Reject?.Detail);
            Assert.Equal([Roles.System, Roles.User, Roles.Assistant], envelope.Record!.Messages.Select(m => m.Role));
            Assert.Empty(envelope.Record.Metadata);
        });
        Assert.Equal(FormatDetectorTests.Detect(lines[0]), InputFormat.OpenAi);
        Assert.Equal("Which Pacific hurricane is known to have produced hurricane-force winds in California?", records[0].Record!.Messages[1].Content);

        // The file repeats some conversations word for word: equal content, equal id.
        var distinctLines = lines.Distinct(StringComparer.Ordinal).Count();
        Assert.True(distinctLines < lines.Length);
        Assert.Equal(distinctLines, records.Select(r => r.Record!.Id).Distinct().Count());
    }
}
