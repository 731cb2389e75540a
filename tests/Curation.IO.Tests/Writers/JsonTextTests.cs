using System.Buffers;
using System.Text;
using System.Text.Json;
using Curation.IO.Writers;

namespace Curation.IO.Tests.Writers;

public sealed class JsonTextTests
{
    public static TheoryData<string> Values => new()
    {
        string.Empty,
        "plain ascii",
        "line one\nline two\r\n\ttabbed",
        "quote \" and backslash \\ and slash /",
        "controls \u0000 \u0007 \u000B \u001B[31m red \u001F \b \f",
        "non-ASCII: café, Straße, 日本語, Ελληνικά, עברית",
        "emoji outside the BMP: 😀 🚀 and a flag 🇩🇪",
        "lone high \uD83D surrogate and lone low \uDE00 one",
        "U+2028 \u2028 and U+2029 \u2029 stay as they are",
        new string('x', 100_000) + "\n" + new string('é', 50_000),
    };

    [Theory]
    [MemberData(nameof(Values))]
    public void WriteString_MatchesTheRelaxedEncoderByteForByte(string value)
    {
        Assert.Equal(WithEncoder(value), WithJsonText(value));
    }

    [Theory]
    [MemberData(nameof(Values))]
    public void WriteString_ReadsBackAsTheSameText_LoneSurrogatesAsReplacementCharacter(string value)
    {
        using var document = JsonDocument.Parse(WithJsonText(value));
        var expected = Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(value));
        Assert.Equal(expected, document.RootElement.GetProperty("v").GetString());
    }

    [Fact]
    public void WriteString_EscapesControlCharactersAsJsonRequires()
    {
        Assert.Equal("{\"v\":\"a\\n\\u001B\\\"\\\\b\"}", Encoding.UTF8.GetString(WithJsonText("a\n\u001B\"\\b")));
    }

    private static byte[] WithEncoder(string value) => Write(writer => writer.WriteString("v", value));

    private static byte[] WithJsonText(string value) => Write(writer => JsonText.WriteString(writer, JsonEncodedText.Encode("v"), value));

    private static byte[] Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, JsonOutput.WriterOptions))
        {
            writer.WriteStartObject();
            write(writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
