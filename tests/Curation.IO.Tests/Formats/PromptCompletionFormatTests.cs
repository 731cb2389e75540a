using Curation.Core.Records;
using Curation.IO.Formats;
using static Curation.IO.Tests.Formats.Decoding;

namespace Curation.IO.Tests.Formats;

public sealed class PromptCompletionFormatTests
{
    [Fact]
    public void Decode_PromptCompletion_IsAUserAssistantPair()
    {
        var record = Kept("""{"prompt":"2+2?","completion":"4"}""");

        Assert.Equal(["user: 2+2?", "assistant: 4"], Turns(record));
    }

    [Fact]
    public void Decode_WithSystem_PrependsIt()
    {
        Assert.Equal(["system: S", "user: p", "assistant: c"], Turns(Kept("""{"prompt":"p","completion":"c","system":"S"}""")));
    }

    [Fact]
    public void Decode_ResponseWithoutMapping_RejectsAndSaysHowToMapIt()
    {
        var reject = Rejected("""{"prompt":"p","response":"r"}""");

        Assert.Equal(ReadRules.Schema, reject.Rule);
        Assert.Equal("field 'completion': missing (when the answer is under another key, map it: fields: {response: <key>})", reject.Detail);
    }

    [Fact]
    public void Decode_ResponseMapped_IsTheCompletion()
    {
        var record = Kept("""{"prompt":"p","response":"r"}""", Options(InputFormat.Auto, ("response", "response")));

        Assert.Equal(["user: p", "assistant: r"], Turns(record));
    }

    [Fact]
    public void Decode_CompletionAliasInMapping_IsTheResponseField()
    {
        var record = Kept("""{"prompt":"p","reply":"r"}""", Options(InputFormat.Auto, ("completion", "reply")));

        Assert.Equal(["user: p", "assistant: r"], Turns(record));
    }

    [Theory]
    [InlineData("""{"prompt":3,"completion":"c"}""", "field 'prompt': expected a string, got number")]
    [InlineData("""{"prompt":"p","completion":false}""", "field 'completion': expected a string, got boolean")]
    public void Decode_NonStringValues_AreNotStringified(string json, string detail)
    {
        Assert.Equal(detail, Rejected(json).Detail);
    }

    [Fact]
    public void Decode_ForcedFormatWithMappedNames_NamesTheMappedKeyWhenMissing()
    {
        var reject = Rejected("""{"answer":"a"}""", Options(InputFormat.PromptCompletion, ("prompt", "question"), ("response", "answer")));

        Assert.Equal("field 'question': missing", reject.Detail);
    }
}
