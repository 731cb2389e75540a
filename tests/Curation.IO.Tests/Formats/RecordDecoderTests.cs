using System.Text;
using System.Text.Json;
using Curation.Core;
using Curation.Core.Config;
using Curation.Core.Records;
using Curation.IO.Formats;
using static Curation.IO.Tests.Formats.Decoding;

namespace Curation.IO.Tests.Formats;

public sealed class RecordDecoderTests
{
    private const string Chat = """{"messages":[{"role":"user","content":"Hi"},{"role":"assistant","content":"Hello!"}]}""";

    [Fact]
    public void Decode_ValidRecord_KeepsSequenceAndSource()
    {
        var envelope = Decode(Chat);

        Assert.Equal(3, envelope.Sequence);
        Assert.Equal(Source, envelope.Record!.Source);
        Assert.Equal(["user: Hi", "assistant: Hello!"], Turns(envelope.Record));
        Assert.Empty(envelope.Record.Metadata);
    }

    [Fact]
    public void Decode_InvalidUtf8_RejectsWithOffsetAndBase64()
    {
        var bytes = Encoding.UTF8.GetBytes("""{"text":"caf""").Concat(new byte[] { 0xC3, 0x28 }).Concat(Encoding.UTF8.GetBytes("\"}")).ToArray();

        var envelope = Decode(bytes);

        var reject = envelope.Reject!;
        Assert.Equal(ReadRules.InvalidUtf8, reject.Rule);
        Assert.Equal("invalid UTF-8 at byte 12 (0xC3)", reject.Detail);
        Assert.Equal(Convert.ToBase64String(bytes), reject.RawBase64);
        Assert.Null(reject.RawText);
        Assert.Equal(Source, reject.Source);
    }

    [Fact]
    public void Decode_TruncatedLine_RejectsAsMalformedJsonWithOffsetAndRawText()
    {
        const string truncated = """{"messages":[{"role":"user","content":"Hi"},{"role":"assis""";

        var reject = Rejected(truncated);

        Assert.Equal(ReadRules.MalformedJson, reject.Rule);
        Assert.StartsWith("invalid JSON at byte 58: ", reject.Detail, StringComparison.Ordinal);
        Assert.EndsWith("(truncated line?)", reject.Detail, StringComparison.Ordinal);
        Assert.Equal(truncated, reject.RawText);
    }

    [Fact]
    public void Decode_MissingComma_NamesTheByteAndDoesNotClaimTruncation()
    {
        var reject = Rejected("""{"text": "a" "label": 1}""");

        Assert.Equal(ReadRules.MalformedJson, reject.Rule);
        Assert.StartsWith("invalid JSON at byte 13: ", reject.Detail, StringComparison.Ordinal);
        Assert.Contains("Expected either ',', '}', or ']'", reject.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("truncated", reject.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Decode_EmptyItem_IsMalformedJson(string json)
    {
        var reject = Rejected(json);

        Assert.Equal(ReadRules.MalformedJson, reject.Rule);
        Assert.Equal("the item holds no JSON value (an empty line?)", reject.Detail);
    }

    [Fact]
    public void Decode_MalformedAfterByteOrderMark_CountsTheMarkInTheOffset()
    {
        var bytes = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Encoding.UTF8.GetBytes("""{"text": "a" "label": 1}""")).ToArray();

        var reject = Decode(bytes).Reject!;

        Assert.StartsWith("invalid JSON at byte 16: ", reject.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_TrailingGarbageAfterObject_IsMalformedJson()
    {
        var reject = Rejected("""{"text": "a"} {"text": "b"}""");

        Assert.Equal(ReadRules.MalformedJson, reject.Rule);
    }

    [Fact]
    public void Decode_MultiLineElementError_ReportsAbsoluteByteOffset()
    {
        var reject = Rejected("{\n  \"text\": \"a\",\n  \"x\": tru\n}");

        Assert.StartsWith("invalid JSON at byte 27: 'tru\\n}' is an invalid JSON literal.", reject.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', reject.Detail);
    }

    [Theory]
    [InlineData("""[{"text":"a"}]""", "array")]
    [InlineData("42", "number")]
    [InlineData("\"text\"", "string")]
    [InlineData("null", "null")]
    public void Decode_TopLevelNotAnObject_RejectsAsSchema(string json, string kind)
    {
        var reject = Rejected(json);

        Assert.Equal(ReadRules.Schema, reject.Rule);
        Assert.Equal($"expected a JSON object at the top level, got {kind}", reject.Detail);
        Assert.Equal(json, reject.RawText);
    }

    [Fact]
    public void Decode_ReaderErrorItem_RejectsAsMalformedRowWithItsMessage()
    {
        var reject = Rejected("""{"$error":"row has 3 cells, the header has 2"}""");

        Assert.Equal(ReadRules.MalformedRow, reject.Rule);
        Assert.Equal("row has 3 cells, the header has 2", reject.Detail);
    }

    [Fact]
    public void Decode_DollarErrorBesideOtherKeys_IsOrdinaryMetadata()
    {
        var record = Kept("""{"text":"a","$error":"not a reader error"}""");

        Assert.Equal("not a reader error", record.Metadata["$error"].GetString());
    }

    [Fact]
    public void Decode_UnknownShape_ListsKeysAndExpectedShapes()
    {
        var reject = Rejected("""{"question":"Why?","answer":"Because.","score":3}""");

        Assert.Equal(ReadRules.UnknownFormat, reject.Rule);
        Assert.StartsWith("no known record shape; keys present: 'answer', 'question', 'score'; expected 'messages' (openai), 'conversations' (sharegpt), ", reject.Detail, StringComparison.Ordinal);
        Assert.Contains("'instruction' + 'output' (alpaca)", reject.Detail, StringComparison.Ordinal);
        Assert.Contains("'prompt' + 'completion' (prompt/completion)", reject.Detail, StringComparison.Ordinal);
        Assert.Contains("fields:", reject.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_EmptyObject_IsUnknownFormatWithNoKeys()
    {
        var reject = Rejected("{}");

        Assert.Equal(ReadRules.UnknownFormat, reject.Rule);
        Assert.StartsWith("no known record shape; keys present: none;", reject.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_UnknownShapeWithMapping_NamesTheMappedKeys()
    {
        var reject = Rejected("""{"q":"x"}""", Options(InputFormat.Auto, ("prompt", "question"), ("response", "answer")));

        Assert.Contains("'question' + 'answer' (prompt/completion)", reject.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_FieldMapping_QuestionAnswerBecomePromptCompletion()
    {
        var options = Options(InputFormat.Auto, ("prompt", "question"), ("response", "answer"));

        var record = Kept("""{"question":"What is 2+2?","answer":"4","topic":"math"}""", options);

        Assert.Equal(["user: What is 2+2?", "assistant: 4"], Turns(record));
        Assert.Equal(["topic"], record.Metadata.Keys);
    }

    [Fact]
    public void Decode_FieldMappingClaimsADefaultKey_TheDefaultFieldNoLongerMatches()
    {
        var options = Options(InputFormat.Auto, ("prompt", "text"), ("response", "summary"));

        var record = Kept("""{"text":"Summarise this.","summary":"Done."}""", options);

        Assert.Equal(["user: Summarise this.", "assistant: Done."], Turns(record));
    }

    [Fact]
    public void Decode_MappedMessagesKey_ReadsOpenAiUnderTheNewName()
    {
        var record = Kept("""{"dialog":[{"role":"user","content":"a"}]}""", Options(InputFormat.Auto, ("messages", "dialog")));

        Assert.Equal(["user: a"], Turns(record));
    }

    [Theory]
    [InlineData("answer", "a")]
    [InlineData("", "a")]
    public void Constructor_BadFieldMapping_ThrowsCurationExceptionNamingTheInput(string field, string key)
    {
        var options = Options(InputFormat.Auto, (field, key));

        var exception = Assert.Throws<CurationException>(() => new RecordDecoder(options));

        Assert.StartsWith("input 'in.jsonl': fields: unknown field", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_TwoFieldsOnOneKey_Throws()
    {
        var options = Options(InputFormat.Auto, ("prompt", "q"), ("instruction", "q"));

        var exception = Assert.Throws<CurationException>(() => new RecordDecoder(options));

        Assert.Contains("key 'q' is mapped to two fields", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_SameConversationTwice_GetsTheSameContentId()
    {
        var first = Kept(Chat);
        var second = Kept("""{ "messages" : [ {"content":"Hi","role":"user"}, {"role":"assistant","content":"Hello!"} ], "extra": 1 }""");

        Assert.Equal(first.Id, second.Id);
        Assert.Equal(RecordId.FromContent(first.Messages), first.Id);
        Assert.Matches("^[0-9a-f]{32}$", first.Id);
    }

    [Fact]
    public void Decode_DifferentContent_GetsADifferentId()
    {
        Assert.NotEqual(Kept(Chat).Id, Kept(Chat.Replace("Hello!", "Hello.", StringComparison.Ordinal)).Id);
    }

    [Theory]
    [InlineData("\"rec-17\"", "rec-17")]
    [InlineData("17", "17")]
    [InlineData("12345678901234567890123", "12345678901234567890123")]
    public void Decode_ExplicitId_IsKept(string idJson, string expected)
    {
        var record = Kept($$"""{"id":{{idJson}},"text":"a"}""");

        Assert.Equal(expected, record.Id);
        Assert.False(record.Metadata.ContainsKey("id"));
    }

    [Fact]
    public void Decode_NullId_FallsBackToContentId()
    {
        var record = Kept("""{"id":null,"text":"a"}""");

        Assert.Equal(RecordId.FromContent(record.Messages), record.Id);
    }

    [Theory]
    [InlineData("1.5", "field 'id': expected a string or an integer, got number")]
    [InlineData("true", "field 'id': expected a string or an integer, got boolean")]
    [InlineData("{}", "field 'id': expected a string or an integer, got object")]
    [InlineData("\"\"", "field 'id': expected a non-empty id, got an empty string")]
    public void Decode_BadId_RejectsAsSchema(string idJson, string detail)
    {
        var reject = Rejected($$"""{"id":{{idJson}},"text":"a"}""");

        Assert.Equal(ReadRules.Schema, reject.Rule);
        Assert.Equal(detail, reject.Detail);
    }

    [Fact]
    public void Decode_MappedId_ReadsTheIdFromTheMappedKey()
    {
        var record = Kept("""{"uuid":"u-1","id":"other","text":"a"}""", Options(InputFormat.Auto, ("id", "uuid")));

        Assert.Equal("u-1", record.Id);
        Assert.Equal("other", record.Metadata["id"].GetString());
    }

    [Fact]
    public void Decode_ExtraKeys_BecomeMetadataSortedOrdinallyWithTheirJsonValues()
    {
        var record = Kept("""{"text":"a","b":[1,2],"Z":null,"a":{"x":"é"},"instruction_hint":"h"}""");

        Assert.Equal(["Z", "a", "b", "instruction_hint"], record.Metadata.Keys);
        Assert.Equal(JsonValueKind.Null, record.Metadata["Z"].ValueKind);
        Assert.Equal("é", record.Metadata["a"].GetProperty("x").GetString());
        Assert.Equal(2, record.Metadata["b"].GetArrayLength());
    }

    [Fact]
    public void Decode_MetadataObject_IsReadBackFlat()
    {
        var record = Kept("""{"text":"a","metadata":{"label":"x","n":1},"z":true}""");

        Assert.Equal(["label", "n", "z"], record.Metadata.Keys);
        Assert.Equal("x", record.Metadata["label"].GetString());
    }

    [Fact]
    public void Decode_MetadataThatIsNotAnObject_IsAnOrdinaryKey()
    {
        var record = Kept("""{"text":"a","metadata":"free text"}""");

        Assert.Equal("free text", record.Metadata["metadata"].GetString());
    }

    [Theory]
    [InlineData("""{"text":"a","label":"y","metadata":{"label":"x"}}""")]
    [InlineData("""{"text":"a","metadata":{"label":"x"},"label":"y"}""")]
    public void Decode_MetadataKeyAlsoAtTopLevel_RejectsAsSchema(string json)
    {
        var reject = Rejected(json);

        Assert.Equal(ReadRules.Schema, reject.Rule);
        Assert.Equal("field 'metadata.label': the key also appears outside 'metadata' or twice in it", reject.Detail);
    }

    [Fact]
    public void Decode_CanonicalKeysTheFormatDidNotUse_BecomeMetadata()
    {
        var record = Kept("""{"messages":[{"role":"user","content":"a"}],"output":"unused","text":"also unused"}""");

        Assert.Equal(["output", "text"], record.Metadata.Keys);
    }

    [Fact]
    public void Decode_MetadataOutlivesTheInputBuffer()
    {
        var bytes = Encoding.UTF8.GetBytes("""{"text":"a","label":["x"]}""");
        var record = Decode(bytes).Record!;

        Array.Clear(bytes);

        Assert.Equal("x", record.Metadata["label"][0].GetString());
    }

    [Theory]
    [InlineData("""{"text":"a","text":"b"}""", "field 'text': appears more than once")]
    [InlineData("""{"text":"a","k":1,"k":2}""", "field 'k': appears more than once")]
    [InlineData("""{"text":"a","meta":{"k":1,"k":2}}""", "field 'meta.k': appears more than once")]
    [InlineData("""{"text":"a","tags":[{"x":1},{"x":1,"y":{"z":0,"z":1}}]}""", "field 'tags[1].y.z': appears more than once")]
    [InlineData("""{"text":"a","metadata":{"m":{"z":1,"z":2}}}""", "field 'metadata.m.z': appears more than once")]
    public void Decode_DuplicateKey_RejectsAsSchema(string json, string detail)
    {
        var reject = Rejected(json);

        Assert.Equal(ReadRules.Schema, reject.Rule);
        Assert.Equal(detail, reject.Detail);
    }

    [Theory]
    [InlineData("""{"text":"a","k":"x\ud800"}""", "field 'k': a string or key in it holds an unpaired surrogate escape")]
    [InlineData("""{"text":"a","k":"\udc00x"}""", "field 'k': a string or key in it holds an unpaired surrogate escape")]
    [InlineData("""{"text":"a","meta":{"tags":["ok","\ud83d"]}}""", "field 'meta.tags[1]': a string or key in it holds an unpaired surrogate escape")]
    [InlineData("""{"text":"a","meta":{"\ud800":1}}""", "field 'meta': a string or key in it holds an unpaired surrogate escape")]
    [InlineData("""{"text":"a","metadata":{"m":"\ude00"}}""", "field 'metadata.m': a string or key in it holds an unpaired surrogate escape")]
    [InlineData("""{"text":"a","metadata":{"\ude00":"m"}}""", "field 'metadata': a string or key in it holds an unpaired surrogate escape")]
    public void Decode_MetadataWithHalfASurrogatePair_RejectsAsSchema(string json, string detail)
    {
        var reject = Rejected(json);

        Assert.Equal(ReadRules.Schema, reject.Rule);
        Assert.StartsWith(detail, reject.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_MetadataWithWholeSurrogatePairs_IsKept()
    {
        var record = Decode(Encoding.UTF8.GetBytes("""{"text":"a","k":"\ud83d\ude00 😀","m":{"\ud83d\ude00":["\u00e9"]}}""")).Record!;

        Assert.Equal("😀 😀", record.Metadata["k"].GetString());
    }

    [Fact]
    public void Decode_KeyRepeatedInAnUnusedMappedField_RejectsToo()
    {
        var reject = Rejected("""{"instruction":"i","output":"o","messages":[{"role":"user","role":"user"}]}""", Options(InputFormat.Alpaca));

        Assert.Equal(ReadRules.Schema, reject.Rule);
        Assert.Equal("field 'messages[0].role': appears more than once", reject.Detail);
    }

    [Fact]
    public void Decode_EscapedKeyName_MatchesItsField()
    {
        var record = Kept("""{"te\u0078t":"a"}""");

        Assert.Equal(["assistant: a"], Turns(record));
    }

    [Fact]
    public void Decode_LeadingByteOrderMark_IsIgnored()
    {
        var bytes = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Encoding.UTF8.GetBytes("""{"text":"a"}""")).ToArray();

        Assert.True(Decode(bytes).IsKept);
    }

    [Fact]
    public void Decode_ForcedFormat_SkipsDetectionButValidatesTheShape()
    {
        var reject = Rejected("""{"messages":[]}""", Options(InputFormat.Alpaca));

        Assert.Equal(ReadRules.Schema, reject.Rule);
        Assert.Equal("field 'instruction': missing", reject.Detail);
    }

    [Fact]
    public void Decode_ForcedFormat_UsesThatShapeEvenWhenAnotherWouldBeDetected()
    {
        var record = Kept("""{"messages":"not a list","text":"t"}""", Options(InputFormat.Text));

        Assert.Equal(["assistant: t"], Turns(record));
        Assert.Equal("not a list", record.Metadata["messages"].GetString());
    }

    [Fact]
    public void Decode_UnpairedSurrogateEscape_RejectsInsteadOfThrowing()
    {
        var reject = Rejected("""{"text":"a\ud800b"}""");

        Assert.Equal(ReadRules.Schema, reject.Rule);
        Assert.StartsWith("field 'text': the string holds an unpaired surrogate", reject.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_ConversationsBeforeMessages_MessagesWinAndConversationsAreMetadata()
    {
        var record = Kept("""{"conversations":[{"from":"human","value":"c"}],"messages":[{"role":"user","content":"m"}]}""");

        Assert.Equal(["user: m"], Turns(record));
        Assert.Equal(["conversations"], record.Metadata.Keys);
    }

    [Fact]
    public void Decode_ForcedShareGpt_ReadsConversationsEvenBesideMessages()
    {
        var record = Kept("""{"messages":[{"role":"user","content":"m"}],"conversations":[{"from":"human","value":"c"}]}""", Options(InputFormat.ShareGpt));

        Assert.Equal(["user: c"], Turns(record));
        Assert.Equal(["messages"], record.Metadata.Keys);
    }

    [Fact]
    public void Decode_SystemAfterMessages_StillComesFirst()
    {
        var record = Kept("""{"messages":[{"role":"user","content":"q"}],"system":"S"}""");

        Assert.Equal(["system: S", "user: q"], Turns(record));
    }

    [Fact]
    public void Decode_BadTurnThenMoreKeys_ReportsTheTurnAndKeepsScanning()
    {
        var reject = Rejected("""{"messages":[{"role":1,"content":[{"type":"text","text":"a"}]},{"role":"user","content":"b"}],"system":7}""");

        Assert.Equal(ReadRules.Schema, reject.Rule);
        Assert.Equal("field 'messages[0].role': expected a string, got number", reject.Detail);
    }

    [Fact]
    public void Decode_BadTurnInATruncatedLine_IsMalformedJson()
    {
        var reject = Rejected("""{"messages":[{"role":1,"content":"a"},{"role":"user","content":"b"}],"x": tru""");

        Assert.Equal(ReadRules.MalformedJson, reject.Rule);
    }

    [Fact]
    public void Decode_MessagesAsObject_IsASchemaErrorAndTheRestIsStillRead()
    {
        var reject = Rejected("""{"messages":{"role":"user","content":"a"},"text":"x","n":1}""");

        Assert.Equal("field 'messages': expected an array, got object", reject.Detail);
    }

    [Fact]
    public void Decode_MessagesTwice_IsADuplicate()
    {
        var reject = Rejected("""{"messages":[{"role":"user","content":"a"}],"messages":[{"role":"user","content":"b"}]}""");

        Assert.Equal("field 'messages': appears more than once", reject.Detail);
    }

    [Fact]
    public void Decode_RejectThenGoodRecordOnTheSameThread_LeavesNoTurnsBehind()
    {
        var decoder = new RecordDecoder(new InputOptions());
        decoder.Decode(new RawItem("""{"messages":[{"role":"user","content":"a"},{"role":2}]}"""u8.ToArray(), Source), 0);

        var record = decoder.Decode(new RawItem("""{"instruction":"i","output":"o"}"""u8.ToArray(), Source), 1).Record!;

        Assert.Equal(["user: i", "assistant: o"], Turns(record));
    }

    [Fact]
    public void Decode_ManyThreadsAtOnce_GiveTheSameResultsAsOneThread()
    {
        var decoder = new RecordDecoder(new InputOptions());
        var lines = Enumerable.Range(0, 2000).Select(i => (i % 3) switch
        {
            0 => $$"""{"messages":[{"role":"user","content":"q{{i}}"},{"role":"assistant","content":"a{{i}}"}],"n":{{i}}}""",
            1 => $$"""{"instruction":"i{{i}}","input":"x","output":"o{{i}}"}""",
            _ => $$"""{"conversations":[{"from":"human","value":"h{{i}}"},{"from":"gpt","value":{{i}}}]}""",
        }).Select(Encoding.UTF8.GetBytes).ToArray();
        string Describe(int i)
        {
            var envelope = decoder.Decode(new RawItem(lines[i], new SourceRef("f", i + 1, SourceUnit.Line)), i);
            return envelope.Record is { } r ? $"{r.Id}|{string.Join("|", Turns(r))}|{string.Join(",", r.Metadata.Keys)}" : $"{envelope.Reject!.Rule}|{envelope.Reject.Detail}";
        }

        var sequential = Enumerable.Range(0, lines.Length).Select(Describe).ToArray();
        var parallel = new string[lines.Length];
        Parallel.For(0, lines.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => parallel[i] = Describe(i));

        Assert.Equal(sequential, parallel);
        Assert.Contains("schema|field 'conversations[1].value': expected a string or an array of text parts, got number", sequential);
    }

    [Fact]
    public void ReadRules_ListsEveryReadRule()
    {
        Assert.Equal(["invalid-utf8", "malformed-json", "malformed-row", "schema", "unknown-format"], ReadRules.All);
    }
}
