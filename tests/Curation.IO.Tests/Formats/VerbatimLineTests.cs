using System.Collections.Immutable;
using System.Text;
using Curation.Core.Config;
using Curation.Core.Records;
using Curation.IO.Formats;
using Curation.IO.Tests.Writers;
using Curation.IO.Writers;
using static Curation.IO.Tests.Writers.SampleRecords;

namespace Curation.IO.Tests.Formats;

/// <summary>
/// A record decoded from a line already in the writer's form is written by copying the line. The copy must be byte for
/// byte what the general writer (through Utf8JsonWriter) gives the record, and any change to the record must bring the
/// encoder back.
/// </summary>
public sealed class VerbatimLineTests
{
    public static TheoryData<string> WritersLines => new()
    {
        """{"id":"a1","messages":[{"role":"user","content":"Hi"},{"role":"assistant","content":"Hello!"}]}""",
        """{"id":"e","messages":[]}""",
        """{"id":"esc","messages":[{"role":"user","content":"line\nbreak\ttab \"quoted\" back\\slash / \b\f\r end"}]}""",
        """{"id":"ctl","messages":[{"role":"user","content":"\u0000 \u0001 \u001F \u000B \u0010"}]}""",
        """{"id":"raw","messages":[{"role":"user","content":"héllo wörld 日本語 😀 end"}]}""",
        """{"id":"w","messages":[{"role":"user","content":"q","weight":0},{"role":"assistant","content":"a","weight":1}]}""",
        """{"id":"q\"uote\n","messages":[{"role":"Human","content":""}]}""",
    };

    public static TheoryData<string> OtherLines => new()
    {
        """{"messages":[{"role":"user","content":"no id: the writer adds one"}]}""",
        """{"messages":[{"role":"user","content":"x"}],"id":"id last"}""",
        """{"id":"a","messages":[{"content":"content first","role":"user"}]}""",
        """{"id":"a","messages":[{"role":"user","weight":1,"content":"weight first"}]}""",
        """{"id":"a","messages":[{"role":"user","content":"slash \/"}]}""",
        """{"id":"a","messages":[{"role":"user","content":"letter \u0041"}]}""",
        """{"id":"a","messages":[{"role":"user","content":"lower-case hex \u001f"}]}""",
        """{"id":"a","messages":[{"role":"user","content":"short form exists \u000a"}]}""",
        """{"id":"a","messages":[{"role":"user","content":"quote as \u0022"}]}""",
        """{"id":"a","messages":[{"role":"user","content":"non-ASCII \u00e9"}]}""",
        """{"id":"a","messages":[{"role":"user","content":"DEL \u007F"}]}""",
        """{"id":"a","messages":[{"role":"user","content":"pair \ud83d\ude00"}]}""",
        """{"id":"\u0061","messages":[{"role":"user","content":"escaped id"}]}""",
        """{"id":"a","messages":[{"role":"\u0075ser","content":"escaped role"}]}""",
    };

    [Theory]
    [MemberData(nameof(WritersLines))]
    public void Decode_LineInTheWritersForm_IsWrittenAsItWas(string line)
    {
        var record = Kept(line);

        Assert.NotNull(record.Verbatim);
        Assert.True(record.Verbatim.Matches(record));
        Assert.Equal(line, Encoding.UTF8.GetString(record.Verbatim.Utf8.Span));
        Assert.Equal(line + "\n", Written(record));
        Assert.Equal(General(record), Written(record));
    }

    [Fact]
    public void Decode_LineWithTrailingSpace_KeepsTheLineWithoutIt()
    {
        const string line = """{"id":"a","messages":[{"role":"user","content":"x"}]}""";

        var record = Kept(line + " \t\r");

        Assert.Equal(line, Encoding.UTF8.GetString(record.Verbatim!.Utf8.Span));
        Assert.Equal(General(record), Written(record));
    }

    [Theory]
    [MemberData(nameof(OtherLines))]
    public void Decode_LineTheWriterWouldWriteOtherwise_IsEncodedAgain(string line)
    {
        var record = Kept(line);

        Assert.Null(record.Verbatim);
        Assert.Equal(General(record), Written(record));
    }

    [Fact]
    public void Decode_DecoderNotAskedToKeepLines_KeepsNone()
    {
        var record = new RecordDecoder(new InputOptions()).Decode(new RawItem(Encoding.UTF8.GetBytes("""{"id":"a","messages":[{"role":"user","content":"x"}]}"""), Source), 0).Record!;

        Assert.Null(record.Verbatim);
    }

    [Fact]
    public void Decode_ItemBytesReusedAfterwards_LineStaysIntact()
    {
        var bytes = Encoding.UTF8.GetBytes("""{"id":"a","messages":[{"role":"user","content":"x"}]}""");
        var record = Decode(bytes).Record!;

        Array.Fill(bytes, (byte)'?');

        Assert.Equal("""{"id":"a","messages":[{"role":"user","content":"x"}]}""" + "\n", Written(record));
    }

    [Fact]
    public void Write_RecordChangedAfterDecoding_IsEncodedFromWhatItHoldsNow()
    {
        var record = Kept("""{"id":"a","messages":[{"role":"user","content":"é "},{"role":"assistant","content":"b"}]}""");
        Assert.NotNull(record.Verbatim);

        ChatRecord[] changed =
        [
            record with { Messages = [new Message(Roles.User, "é"), record.Messages[1]] },
            record with { Messages = [record.Messages[0]] },
            record with { Messages = [.. record.Messages] },
            record with { Id = "b" },
            record with { Id = new string("a".AsSpan()) },
            record with { HasInputId = false },
            record.WithMetadata("""{"cluster_id":"a"}"""),
        ];

        foreach (var copy in changed)
        {
            Assert.False(record.Verbatim.Matches(copy));
            Assert.Equal(General(copy), Written(copy));
        }

        var moved = record with { Source = new SourceRef("other.jsonl", 9, SourceUnit.Line) };
        Assert.True(record.Verbatim.Matches(moved));
    }

    [Fact]
    public void Write_IdLeftOut_EncodesTheRecordWithoutIt()
    {
        var record = Kept("""{"id":"a","messages":[{"role":"user","content":"x"}]}""");
        var options = new JsonlEncodingOptions { IncludeId = false };

        Assert.Equal("""{"messages":[{"role":"user","content":"x"}]}""" + "\n", Written(record, options));
        Assert.Equal(General(record, options), Written(record, options));
    }

    /// <summary>
    /// Lines built from random text, each character written raw or escaped in any of the ways JSON allows: whenever
    /// the decoder keeps a line, the copy equals what the general writer gives the decoded record, and every line the
    /// general writer itself wrote is kept.
    /// </summary>
    [Fact]
    public void Decode_RandomlyEscapedLines_KeepOnlyLinesTheWriterWouldWrite()
    {
        char[] alphabet = ['a', 'Z', ' ', '/', '"', '\\', '\n', '\t', '\r', '\b', '\f', '\u0000', '\u000b', '\u001f', '\u007f', 'é', '€', '\u2028'];
        var random = new Random(11);
        var kept = 0;
        for (var round = 0; round < 4_000; round++)
        {
            var text = Enumerable.Range(0, random.Next(0, 40)).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray();
            var content = string.Concat(text.Select(c => Escaped(c, random)));
            var weight = random.Next(3) switch { 0 => string.Empty, 1 => ",\"weight\":0", _ => ",\"weight\":1" };
            var line = $$"""{"id":"r{{round}}","messages":[{"role":"user","content":"{{content}}"{{weight}}}]}""";

            var record = Kept(line);
            Assert.Equal(General(record), Written(record));
            if (record.Verbatim is not null)
            {
                kept++;
                Assert.Equal(line + "\n", Written(record));
            }

            var writers = General(record).TrimEnd('\n');
            Assert.NotNull(Kept(writers).Verbatim);
        }

        Assert.InRange(kept, 100, 3_900);
    }

    [Fact]
    public void VerbatimLine_RecordFromOtherTurnsWithTheSameText_DoesNotMatch()
    {
        var messages = ImmutableArray.Create(new Message(Roles.User, "x"));
        var line = new VerbatimLine(Encoding.UTF8.GetBytes("""{"id":"a","messages":[{"role":"user","content":"x"}]}"""), "a", messages);
        var record = Record("a", new Message(Roles.User, "x")) with { HasInputId = true };

        Assert.False(line.Matches(record));
        Assert.True(line.Matches(record with { Id = "a", Messages = messages }));
    }

    private static SourceRef Source { get; } = new("in.jsonl", 1, SourceUnit.Line);

    private static Envelope Decode(byte[] utf8) => new RecordDecoder(new InputOptions(), keepVerbatimLines: true).Decode(new RawItem(utf8, Source), 0);

    private static ChatRecord Kept(string line)
    {
        var envelope = Decode(Encoding.UTF8.GetBytes(line));
        Assert.True(envelope.IsKept, envelope.Reject?.Detail);
        return envelope.Record!;
    }

    /// <summary>One character as a JSON string holds it: raw where JSON allows, or as a two-character or \u escape.</summary>
    private static string Escaped(char c, Random random)
    {
        var unicode = random.Next(2) == 0 ? $"\\u{(int)c:x4}" : $"\\u{(int)c:X4}";
        string? shortForm = c switch
        {
            '"' => "\\\"",
            '\\' => "\\\\",
            '/' => "\\/",
            '\n' => "\\n",
            '\t' => "\\t",
            '\r' => "\\r",
            '\b' => "\\b",
            '\f' => "\\f",
            _ => null,
        };
        var rawAllowed = c >= 0x20 && c != '"' && c != '\\';
        return random.Next(3) switch
        {
            0 when rawAllowed => c.ToString(),
            1 when shortForm is not null => shortForm,
            _ => unicode,
        };
    }

    private static string Written(ChatRecord record, JsonlEncodingOptions? options = null)
    {
        var chunk = JsonLines.Encode(
            [record],
            (_, _) => Assert.Fail("the direct writer refused the record"),
            (buffer, item) => CompactOpenAiLine.TryWrite(buffer, item, options ?? JsonlEncodingOptions.Default));
        return Encoding.UTF8.GetString(chunk.Bytes.Span);
    }

    private static string General(ChatRecord record, JsonlEncodingOptions? options = null) =>
        GeneralWriter.OpenAiLine(record, options ?? JsonlEncodingOptions.Default);
}
