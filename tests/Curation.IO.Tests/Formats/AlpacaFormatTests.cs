using Curation.TestKit;
using System.Text;
using System.Text.Json;
using Curation.Core.Records;
using Curation.IO.Formats;
using Xunit.Abstractions;
using static Curation.IO.Tests.Formats.Decoding;

namespace Curation.IO.Tests.Formats;

public sealed class AlpacaFormatTests(ITestOutputHelper output)
{
    [Fact]
    public void Decode_InstructionAndInput_JoinedWithABlankLine()
    {
        var record = Kept("""{"instruction":"Translate.","input":"bonjour","output":"hello"}""");

        Assert.Equal(["user: Translate.\n\nbonjour", "assistant: hello"], Turns(record));
        Assert.Empty(record.Metadata);
    }

    [Theory]
    [InlineData("""{"instruction":"Hi","input":"","output":"Hello"}""")]
    [InlineData("""{"instruction":"Hi","input":null,"output":"Hello"}""")]
    [InlineData("""{"instruction":"Hi","output":"Hello"}""")]
    public void Decode_NoInput_UserTurnIsTheInstruction(string json)
    {
        Assert.Equal(["user: Hi", "assistant: Hello"], Turns(Kept(json)));
    }

    [Fact]
    public void Decode_EmptyInstructionWithInput_UserTurnIsTheInput()
    {
        Assert.Equal(["user: data", "assistant: o"], Turns(Kept("""{"instruction":"","input":"data","output":"o"}""")));
    }

    [Fact]
    public void Decode_SystemAndHistory_ComeBeforeTheInstruction()
    {
        var record = Kept("""{"system":"S","history":[["q1","a1"],["q2","a2"]],"instruction":"q3","output":"a3"}""");

        Assert.Equal(["system: S", "user: q1", "assistant: a1", "user: q2", "assistant: a2", "user: q3", "assistant: a3"], Turns(record));
    }

    [Theory]
    [InlineData("""{"instruction":"q","system":"","output":"a"}""")]
    [InlineData("""{"instruction":"q","system":null,"history":null,"output":"a"}""")]
    [InlineData("""{"instruction":"q","history":[],"output":"a"}""")]
    public void Decode_EmptyOptionalFields_AddNoTurns(string json)
    {
        Assert.Equal(["user: q", "assistant: a"], Turns(Kept(json)));
    }

    [Theory]
    [InlineData("""{"instruction":"q"}""", "field 'output': missing")]
    [InlineData("""{"instruction":1,"output":"a"}""", "field 'instruction': expected a string, got number")]
    [InlineData("""{"instruction":"q","output":null}""", "field 'output': expected a string, got null")]
    [InlineData("""{"instruction":"q","input":5,"output":"a"}""", "field 'input': expected a string, got number")]
    [InlineData("""{"instruction":"q","output":"a","system":["s"]}""", "field 'system': expected a string, got array")]
    [InlineData("""{"instruction":"q","output":"a","history":"none"}""", "field 'history': expected an array of [prompt, response] pairs, got string")]
    [InlineData("""{"instruction":"q","output":"a","history":[["q1"]]}""", "field 'history[0]': expected a [prompt, response] pair, got 1 items")]
    [InlineData("""{"instruction":"q","output":"a","history":[["q1","a1"],["q2",2]]}""", "field 'history[1][1]': expected a string, got number")]
    [InlineData("""{"instruction":"q","output":"a","history":[{"q":"a"}]}""", "field 'history[0]': expected a [prompt, response] pair, got object")]
    public void Decode_WrongShape_RejectsAsSchemaNamingTheField(string json, string detail)
    {
        var reject = Rejected(json);

        Assert.Equal(ReadRules.Schema, reject.Rule);
        Assert.Equal(detail, reject.Detail);
    }

    [SkippableFact]
    public void Decode_AxolotlAlpacaFixture_EveryElementDecodes()
    {
        var elements = Elements("axolotl/alpaca.json");
        Skip.If(elements is null, "shared fixture not found beside the repository (../shared/fixtures)");

        var records = DecodeAll(elements);

        Assert.NotEmpty(records);
        Assert.All(records, record => Assert.Equal([Roles.User, Roles.Assistant], record.Messages.Select(m => m.Role)));
        Assert.Equal(
            "You will be given a series of words. Output these words in reverse order, with each word on its own line.\n\nWords: ['Hello', 'world'].",
            records[0].Messages[0].Content);
        Assert.Equal("['world', 'Hello']", records[0].Messages[1].Content);
        Assert.Contains(records, record => record.Messages[1].Content.Contains('\n', StringComparison.Ordinal));
    }

    [SkippableFact]
    public void Decode_LlamaFactoryIdentityFixture_NinetyOneRecordsWithEmptyInputs()
    {
        var elements = Elements("LLaMA-Factory/identity.json");
        Skip.If(elements is null, "shared fixture not found beside the repository (../shared/fixtures)");

        var records = DecodeAll(elements);

        Assert.Equal(91, records.Length);
        Assert.Equal(["user: hi", "assistant: Hello! I am {{name}}, an AI assistant developed by {{author}}. How can I assist you today?"], Turns(records[0]));
        Assert.All(records, record => Assert.DoesNotContain("\n\n", record.Messages[0].Content, StringComparison.Ordinal));
        Assert.All(records, record => Assert.Empty(record.Metadata));
    }

    private string[]? Elements(string fixture)
    {
        var path = RepositoryPaths.SharedFixture(fixture);
        if (path is null)
        {
            output.WriteLine("shared fixtures not found beside the repository; test skipped");
            return null;
        }

        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        return document.RootElement.EnumerateArray().Select(element => element.GetRawText()).ToArray();
    }

    private static ChatRecord[] DecodeAll(string[] elements)
    {
        var decoder = new RecordDecoder(new Core.Config.InputOptions());
        return elements.Select((json, i) =>
        {
            var envelope = decoder.Decode(new RawItem(Encoding.UTF8.GetBytes(json), new SourceRef("fixture.json", i + 1, SourceUnit.Element)), i);
            Assert.True(envelope.IsKept, envelope.Reject?.Detail);
            Assert.Equal(InputFormat.Alpaca, FormatDetectorTests.Detect(json));
            return envelope.Record!;
        }).ToArray();
    }
}
