using System.Text;
using Curation.Core.Config;
using Curation.Core.Records;
using Curation.IO.Formats;
using static Curation.IO.Tests.Formats.Decoding;

namespace Curation.IO.Tests.Formats;

/// <summary>
/// The compact-line fast path against the general JSON reader: a space before the object keeps a line off the fast
/// path without changing what it means, so every line is decoded both ways and the results must agree.
/// </summary>
public sealed class CompactChatLineTests
{
    public static TheoryData<string> CompactLines => new()
    {
        """{"id":"a1","messages":[{"role":"user","content":"Hi"},{"role":"assistant","content":"Hello!"}]}""",
        """{"messages":[{"role":"user","content":"no id"}]}""",
        """{"messages":[{"content":"content first","role":"user"}],"id":"later"}""",
        """{"id":"e","messages":[]}""",
        """{"id":"esc","messages":[{"role":"user","content":"line\nbreak\ttab \"quoted\" back\\slash \/ \b\f\r end"}]}""",
        """{"id":"u","messages":[{"role":"user","content":"\u00e9\u00C9 \u0000 \u001f \u20ac \ud83d\ude00 \uD83D\uDE00"}]}""",
        """{"id":"raw","messages":[{"role":"user","content":"héllo wörld 日本語 😀 \u0301e"}]}""",
        """{"id":"w","messages":[{"role":"user","content":"q","weight":0},{"role":"assistant","content":"a","weight":1}]}""",
        """{"id":"roles","messages":[{"role":"system","content":"s"},{"role":"tool","content":"t"},{"role":"Human","content":"h"},{"role":"","content":""}]}""",
        """{"id":"escaped role","messages":[{"role":"us\u0065r","content":"x"}]}""",
        """{"id":"trailing space","messages":[{"role":"user","content":"x"}]}  """,
        """{"id":"\u0041\n","messages":[{"role":"user","content":"x"}]}""",
    };

    public static TheoryData<string> OtherLines => new()
    {
        """{"id":"a","messages":[{"role":"user","content":"x"}],"source":"web"}""",
        """{"id":"a","id":"b","messages":[{"role":"user","content":"x"}]}""",
        """{"id":"a","messages":[{"role":"user","role":"assistant","content":"x"}]}""",
        """{"id":"a","messages":[{"role":"user","content":"x","weight":0.5}]}""",
        """{"id":"a","messages":[{"role":"user","content":"x","weight":null}]}""",
        """{"id":"a","messages":[{"role":"user","content":"x","weight":01}]}""",
        """{"id":"a","messages":[{"role":"user","content":"x","name":"bob"}]}""",
        """{"id":"a","messages":[{"role":"user","content":[{"type":"text","text":"x"}]}]}""",
        """{"id":"a","messages":[{"role":"user"}]}""",
        """{"id":"","messages":[{"role":"user","content":"x"}]}""",
        """{"id":7,"messages":[{"role":"user","content":"x"}]}""",
        """{"id":"a","messages":[{"role":"user","content":"lone \ud800 high"}]}""",
        """{"id":"a","messages":[{"role":"user","content":"lone \udc00 low"}]}""",
        """{"id":"a","messages":[{"role":"user","content":"bad \x escape"}]}""",
        """{"id":"a","messages":[{"role":"user","content":"short \u12"}]}""",
        "{\"id\":\"a\",\"messages\":[{\"role\":\"user\",\"content\":\"raw\ttab\"}]}",
        """{"id":"a","messages":[{"role":"user","content":"x"}]} x""",
        """{"id":"a","messages":[{"role":"user","content":"x"}]}}""",
        """{"id":"a","messages":[{"role":"user","content":"x"}],}""",
        """{"id":"a","messages":[{"role":"user","content":"x"},]}""",
        """{"id":"a", "messages":[{"role":"user","content":"x"}]}""",
        """{"id":"a","messages":[{"role":"user","content":"trunc""",
        """{"id":"a","messages":{"role":"user","content":"x"}}""",
        """{"messages":[{"role":"user","content":"x"}],"system":"be brief"}""",
        """{}""",
    };

    [Theory]
    [MemberData(nameof(CompactLines))]
    public void Decode_CompactLine_TakesTheFastPathAndMatchesTheGeneralReader(string line)
    {
        Assert.True(CompactChatLine.TryDecode(Encoding.UTF8.GetBytes(line), [], out _, out _));

        AssertSameAsGeneral(line, Options(InputFormat.OpenAi));
        AssertSameAsGeneral(line, Options());
    }

    [Theory]
    [MemberData(nameof(OtherLines))]
    public void Decode_OtherLine_LeavesItToTheGeneralReader(string line)
    {
        Assert.False(CompactChatLine.TryDecode(Encoding.UTF8.GetBytes(line), [], out _, out _));

        AssertSameAsGeneral(line, Options());
    }

    [Fact]
    public void Decode_LongContentWithManyEscapes_MatchesTheGeneralReader()
    {
        var content = string.Concat(Enumerable.Range(0, 3000).Select(i => $"line {i} \\\"é\\\"\\n\\u00e9 "));
        var line = $$"""{"id":"long","messages":[{"role":"user","content":"{{content}}"}]}""";

        Assert.True(CompactChatLine.TryDecode(Encoding.UTF8.GetBytes(line), [], out _, out _));
        AssertSameAsGeneral(line, Options());
    }

    [Fact]
    public void Decode_RemappedMessagesKey_IsNotTakenAsMessages()
    {
        const string line = """{"id":"a","messages":[{"role":"user","content":"x"}],"turns":[{"role":"user","content":"y"}]}""";

        var record = Kept(line, Options(InputFormat.OpenAi, ("messages", "turns")));

        Assert.Equal(["user: y"], Turns(record));
        Assert.True(record.Metadata.ContainsKey("messages"));
    }

    [Fact]
    public void Decode_CompactLine_SharesTheCanonicalRoleNames()
    {
        var record = Kept("""{"id":"a","messages":[{"role":"user","content":"x"},{"role":"assistant","content":"y"}]}""");

        Assert.Same(Roles.User, record.Messages[0].Role);
        Assert.Same(Roles.Assistant, record.Messages[1].Role);
    }

    [Fact]
    public void Decode_FormatOtherThanOpenAi_IgnoresTheFastPath()
    {
        const string line = """{"id":"a","messages":[{"role":"user","content":"x"}]}""";

        Assert.Equal(Describe(Decode(" " + line, Options(InputFormat.Text))), Describe(Decode(line, Options(InputFormat.Text))));
    }

    private static void AssertSameAsGeneral(string line, InputOptions options)
    {
        var general = Decode(" " + line, options);
        var decoded = Decode(line, options);

        Assert.Equal(Describe(general), Describe(decoded));
    }

    /// <summary>Everything a decoded envelope carries; a reject by its rule only, since its offsets move with the added space.</summary>
    private static string Describe(Envelope envelope)
    {
        if (envelope.Record is not { } record)
        {
            return $"reject {envelope.Reject!.Rule}";
        }

        var turns = record.Messages.Select(m => $"[{m.Role}|{m.Content}|{m.Weight?.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}|{m.Name}]");
        var metadata = record.Metadata.Select(pair => $"{pair.Key}={pair.Value.GetRawText()}");
        return $"{record.Id}|{record.HasInputId}|{record.Source}|{string.Join(",", turns)}|{string.Join(",", metadata)}";
    }
}
