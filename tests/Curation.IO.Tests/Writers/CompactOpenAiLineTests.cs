using System.Text;
using Curation.Core.Records;
using Curation.IO.Writers;
using static Curation.IO.Tests.Writers.SampleRecords;

namespace Curation.IO.Tests.Writers;

/// <summary>The direct OpenAI line writer against the general one through Utf8JsonWriter: the bytes must be the same.</summary>
public sealed class CompactOpenAiLineTests
{
    public static TheoryData<bool> IncludeId => new() { true, false };

    [Theory]
    [MemberData(nameof(IncludeId))]
    public void TryWrite_RecordsItTakes_WritesWhatTheGeneralWriterWrites(bool includeId)
    {
        var options = new JsonlEncodingOptions { IncludeId = includeId };
        ChatRecord[] records =
        [
            MultiTurn(),
            Record("empty"),
            Record("quo\"te\\ id\n", new Message(Roles.User, "tab\t nul\u0000 unit\u001f del\u007f bell\u0007 \r\n\b\f end"), new Message(Roles.Assistant, "")),
            Record("u", new Message(Roles.User, "héllo 日本語 😀 e\u0301 \u2028 \uFEFF"), new Message(Roles.Assistant, "a") { Weight = 1, Name = "bo\"t" }),
            Record("lone", new Message(Roles.User, "high \uD800 x low \uDC00 y end\uD83D")),
            Record("w", new Message(Roles.User, "q") { Weight = 0 }, new Message(Roles.Assistant, "a") { Weight = 1 }),
            Record("long", new Message(Roles.User, string.Concat(Enumerable.Repeat("ab\"c\nd é 😀 ", 5000))), new Message(Roles.Assistant, new string('x', 70_000))),
        ];

        foreach (var record in records)
        {
            Assert.Equal(General(record, options), Direct(record, options));
        }
    }

    [Fact]
    public void TryWrite_RandomTexts_WritesWhatTheGeneralWriterWrites()
    {
        char[] alphabet = ['a', 'b', ' ', '"', '\\', '\n', '\t', '\u0000', '\u001f', '\u007f', '/', '<', '\u00e9', '\u20ac', '\uD83D', '\uDE00', '\uD800', '\uFFFF'];
        var random = new Random(3);
        for (var round = 0; round < 3_000; round++)
        {
            var asciiOnly = random.Next(2) == 0;
            var text = new string(Enumerable.Range(0, random.Next(0, 120)).Select(_ => alphabet[random.Next(asciiOnly ? 10 : alphabet.Length)]).ToArray());
            var record = Record("r", new Message(Roles.User, text));

            Assert.Equal(General(record, JsonlEncodingOptions.Default), Direct(record, JsonlEncodingOptions.Default));
        }
    }

    [Fact]
    public void TryWrite_NestedMetadataOrOtherWeights_LeavesTheRecordToTheGeneralWriter()
    {
        var options = JsonlEncodingOptions.Default;
        ChatRecord[] records =
        [
            Rich(),
            MultiTurn().WithMetadata("""{"a":1,"nested":{"b":2}}"""),
            Record("half", new Message(Roles.User, "q") { Weight = 0.5 }),
            Record("negative zero", new Message(Roles.User, "q") { Weight = -0.0 }),
            Record("default") with { Messages = default },
        ];

        foreach (var record in records)
        {
            var buffer = new PooledByteBuffer(16);
            Assert.False(CompactOpenAiLine.TryWrite(buffer, record, options));
            Assert.Equal(0, buffer.Detach().Length);
        }
    }

    [Theory]
    [MemberData(nameof(IncludeId))]
    public void TryWrite_ScalarMetadata_WritesWhatTheGeneralWriterWrites(bool includeId)
    {
        var options = new JsonlEncodingOptions { IncludeId = includeId };
        string[] metadata =
        [
            """{"cluster_id":"chat-000000001","cluster_size":3}""",
            """{"score":0.25,"big":12345678901234567890123,"exp":1E+5,"neg":-0,"t":true,"f":false,"n":null}""",
            """{"quo\"te\\ key\n":"tab\t nul\u0000 del\u007f \u2028 h\u00e9llo 😀 \ud83d\ude00 <b>&'"}""",
            """{"é":"日本語","":""}""",
        ];

        foreach (var json in metadata)
        {
            var record = MultiTurn().WithMetadata(json);
            Assert.Equal(General(record, options), Direct(record, options));
        }
    }

    [Fact]
    public void TryWrite_RandomScalarMetadata_WritesWhatTheGeneralWriterWrites()
    {
        string[] pieces = ["a", " ", "\\\"", "\\\\", "\\n", "\\u0000", "\\u001f", "\\u007f", "/", "<", "é", "€", "😀", "\\ud83d\\ude00", "\\uffff", "\\u2028"];
        string[] numbers = ["0", "-1", "3.25", "1e3", "-2.5E-7", "100000000000000000000000"];
        var random = new Random(5);
        for (var round = 0; round < 2_000; round++)
        {
            var entries = Enumerable.Range(0, random.Next(1, 4)).Select(i =>
            {
                var key = string.Concat(Enumerable.Range(0, random.Next(0, 6)).Select(_ => pieces[random.Next(pieces.Length)])) + i;
                var value = random.Next(4) switch
                {
                    0 => numbers[random.Next(numbers.Length)],
                    1 => random.Next(2) == 0 ? "true" : "null",
                    _ => "\"" + string.Concat(Enumerable.Range(0, random.Next(0, 12)).Select(_ => pieces[random.Next(pieces.Length)])) + "\"",
                };
                return $"\"{key}\":{value}";
            });
            var record = Record("r", new Message(Roles.User, "q")).WithMetadata("{" + string.Join(',', entries) + "}");

            Assert.Equal(General(record, JsonlEncodingOptions.Default), Direct(record, JsonlEncodingOptions.Default));
        }
    }

    [Fact]
    public void TryWrite_MetadataLeftOut_TakesTheRecord()
    {
        var options = new JsonlEncodingOptions { IncludeMetadata = false };

        Assert.Equal(General(Rich(), options), Direct(Rich(), options));
    }

    private static string General(ChatRecord record, JsonlEncodingOptions options) => GeneralWriter.OpenAiLine(record, options);

    private static string Direct(ChatRecord record, JsonlEncodingOptions options)
    {
        var taken = 0;
        var chunk = JsonLines.Encode(
            [record],
            (_, _) => Assert.Fail("the direct writer refused the record"),
            (buffer, item) =>
            {
                taken++;
                return CompactOpenAiLine.TryWrite(buffer, item, options);
            });
        Assert.Equal(1, taken);
        return Encoding.UTF8.GetString(chunk.Bytes.Span);
    }
}
