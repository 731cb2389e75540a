using Curation.TestKit;
using System.Text;
using Curation.Core.Records;
using Curation.IO.Formats;
using static Curation.IO.Tests.Formats.Decoding;

namespace Curation.IO.Tests.Formats;

public sealed class ShareGptFormatTests
{
    [Theory]
    [InlineData("""{"conversations":[{"from":"human","value":"a","value":"b"}]}""", "field 'conversations[0].value': appears more than once")]
    [InlineData("""{"conversations":[{"from":"human","value":"a"},{"from":"gpt","from":"human","value":"b"}]}""", "field 'conversations[1].from': appears more than once")]
    [InlineData("""{"conversations":[{"role":"user","content":"a","content":"b"}]}""", "field 'conversations[0].content': appears more than once")]
    public void Decode_KeyRepeatedInATurn_RejectsAsSchemaNamingTheTurnAndKey(string json, string detail)
    {
        var reject = Rejected(json);

        Assert.Equal(ReadRules.Schema, reject.Rule);
        Assert.Equal(detail, reject.Detail);
    }

    [Theory]
    [InlineData("human", "user")]
    [InlineData("user", "user")]
    [InlineData("Human", "user")]
    [InlineData("gpt", "assistant")]
    [InlineData("assistant", "assistant")]
    [InlineData("chatgpt", "assistant")]
    [InlineData("bard", "assistant")]
    [InlineData("bing", "assistant")]
    [InlineData("model", "assistant")]
    [InlineData("system", "system")]
    [InlineData("function_call", "assistant")]
    [InlineData("observation", "tool")]
    [InlineData("tool", "tool")]
    [InlineData("function", "tool")]
    [InlineData("ipython", "tool")]
    [InlineData("narrator", "narrator")]
    public void Decode_SpeakerName_MapsToChatRole(string from, string role)
    {
        var record = Kept($$"""{"conversations":[{"from":"{{from}}","value":"x"}]}""");

        Assert.Equal(role, record.Messages[0].Role);
    }

    [Fact]
    public void Decode_RoleContentKeys_AreAcceptedInsideConversations()
    {
        var record = Kept("""{"conversations":[{"role":"user","content":"q"},{"role":"assistant","content":"a","weight":1}]}""");

        Assert.Equal(["user: q", "assistant: a"], Turns(record));
        Assert.Equal(1d, record.Messages[1].Weight);
    }

    [Fact]
    public void Decode_TopLevelSystemAndTools_SystemIsPrependedToolsAreMetadata()
    {
        var record = Kept("""{"system":"S","tools":"[]","conversations":[{"from":"human","value":"q"},{"from":"gpt","value":"a"}]}""");

        Assert.Equal(["system: S", "user: q", "assistant: a"], Turns(record));
        Assert.Equal(["tools"], record.Metadata.Keys);
    }

    [Theory]
    [InlineData("""{"conversations":"hi"}""", "field 'conversations': expected an array, got string")]
    [InlineData("""{"conversations":[{"from":"human","value":"q"},{"from":1,"value":"a"}]}""", "field 'conversations[1].from': expected a string, got number")]
    [InlineData("""{"conversations":[{"value":"q"}]}""", "field 'conversations[0].from': missing")]
    [InlineData("""{"conversations":[{"from":"gpt"}]}""", "field 'conversations[0].value': missing")]
    [InlineData("""{"conversations":[{"from":"gpt","value":null}]}""", "field 'conversations[0].value': expected a string or an array of text parts, got null")]
    [InlineData("""{"conversations":[{"from":"gpt","value":true}]}""", "field 'conversations[0].value': expected a string or an array of text parts, got boolean")]
    [InlineData("""{"conversations":[["human","q"]]}""", "field 'conversations[0]': expected an object, got array")]
    public void Decode_WrongShape_RejectsAsSchemaNamingTheField(string json, string detail)
    {
        var reject = Rejected(json);

        Assert.Equal(ReadRules.Schema, reject.Rule);
        Assert.Equal(detail, reject.Detail);
    }

    [SkippableFact]
    public void Decode_AxolotlConversationFixture_SingleObjectWithTwelveTurns()
    {
        var path = RepositoryPaths.SharedFixture("axolotl/conversation.json");
        Skip.If(path is null, "shared fixture not found beside the repository (../shared/fixtures)");

        var bytes = File.ReadAllBytes(path);
        var envelope = Decode(bytes, source: new SourceRef(path, 1, SourceUnit.Element));

        Assert.True(envelope.IsKept, envelope.Reject?.Detail);
        var roles = envelope.Record!.Messages.Select(m => m.Role).ToArray();
        Assert.Equal(12, roles.Length);
        Assert.Equal(Enumerable.Range(0, 12).Select(i => i % 2 == 0 ? Roles.User : Roles.Assistant), roles);
        Assert.StartsWith("how could i implement a minesweeper algorithm", envelope.Record.Messages[0].Content, StringComparison.Ordinal);
        Assert.Equal(InputFormat.ShareGpt, FormatDetectorTests.Detect(Encoding.UTF8.GetString(bytes)));
    }

    [SkippableFact]
    public void Decode_AxolotlMissingTurnFixture_DecodesWithAnEmptyAssistantTurn()
    {
        var path = RepositoryPaths.SharedFixture("axolotl/conversation.missingturns.json");
        Skip.If(path is null, "shared fixture not found beside the repository (../shared/fixtures)");

        var envelope = Decode(File.ReadAllBytes(path));

        Assert.True(envelope.IsKept, envelope.Reject?.Detail);
        Assert.Equal(12, envelope.Record!.Messages.Length);
        Assert.Equal(Roles.Assistant, envelope.Record.Messages[1].Role);
        Assert.Equal(string.Empty, envelope.Record.Messages[1].Content);
        Assert.NotEqual(string.Empty, envelope.Record.Messages[3].Content);
    }
}
