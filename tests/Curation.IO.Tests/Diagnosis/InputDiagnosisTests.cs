using System.Text;
using System.Text.Json.Serialization;
using Curation.Core.Config;
using Curation.Core.Records;
using Curation.IO.Diagnosis;
using Curation.IO.Tests.Compression;
using Curation.IO.Tests.Inputs;
using Parquet;
using Parquet.Schema;
using Parquet.Serialization;

namespace Curation.IO.Tests.Diagnosis;

public sealed class InputDiagnosisTests : IDisposable
{
    private const string Chat = """{"messages":[{"role":"user","content":"Hi"},{"role":"assistant","content":"Hello"}]}""";

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static string? Explain(string path, InputOptions? options = null) => InputDiagnosis.Explain(path, options ?? new InputOptions { Path = path });

    [Fact]
    public void Csv_SemicolonDelimited_SuggestsTheDelimiter()
    {
        var path = _dir.Write("faq.csv", "question;answer;lang\n\"What, exactly?\";This;en\nWhy;\"Because; well\";de\n");

        Assert.Equal("looks ';'-delimited: set delimiter: ';' on this input", Explain(path));
    }

    [Fact]
    public void Csv_TabDelimited_SuggestsTab()
    {
        var path = _dir.Write("faq.csv", "question\tanswer\nq1\ta1\nq2\ta2\n");

        Assert.Equal("looks tab-delimited: set delimiter: tab on this input", Explain(path));
    }

    [Fact]
    public void Tsv_CommaDelimited_SuggestsComma()
    {
        var path = _dir.Write("faq.tsv", "question,answer\nq1,a1\n");

        Assert.Equal("looks ','-delimited: set delimiter: ',' on this input", Explain(path));
    }

    [Fact]
    public void Csv_PipeDelimitedAndGzipped_IsStillSniffed()
    {
        var path = _dir.Write("faq.csv.gz", DecompressionTests.Gzip("question|answer\nq1|a1\nq2|a2\n"));

        Assert.Equal("looks '|'-delimited: set delimiter: '|' on this input", Explain(path));
    }

    [Theory]
    [InlineData("question,answer\nq1,a1\nq2,a2\n", null)]
    [InlineData("question;answer\nq1;a1\n", ";")]
    [InlineData("question\nq1\nq2\n", null)]
    public void Csv_ReadWithTheRightDelimiterOrNoneBetter_SaysNothing(string text, string? delimiter)
    {
        var path = _dir.Write("faq.csv", text);

        Assert.Null(Explain(path, new InputOptions { Path = path, Delimiter = delimiter }));
    }

    [Theory]
    [InlineData("utf-16", "the file is UTF-16 (LE) encoded; curate reads UTF-8: convert it, e.g. iconv -f UTF-16 -t UTF-8")]
    [InlineData("utf-16BE", "the file is UTF-16 (BE) encoded; curate reads UTF-8: convert it, e.g. iconv -f UTF-16 -t UTF-8")]
    [InlineData("utf-32", "the file is UTF-32 (LE) encoded; curate reads UTF-8: convert it, e.g. iconv -f UTF-32 -t UTF-8")]
    [InlineData("utf-32BE", "the file is UTF-32 (BE) encoded; curate reads UTF-8: convert it, e.g. iconv -f UTF-32 -t UTF-8")]
    public void Jsonl_WideEncodingWithByteOrderMark_IsNamed(string encoding, string hint)
    {
        var text = Encoding.GetEncoding(encoding);
        var path = _dir.Write("chat.jsonl", [.. text.GetPreamble(), .. text.GetBytes(Chat + "\n" + Chat + "\n")]);

        Assert.Equal(hint, Explain(path));
    }

    [Theory]
    [InlineData("utf-16", "the file is UTF-16 (LE) encoded; curate reads UTF-8: convert it, e.g. iconv -f UTF-16LE -t UTF-8")]
    [InlineData("utf-16BE", "the file is UTF-16 (BE) encoded; curate reads UTF-8: convert it, e.g. iconv -f UTF-16BE -t UTF-8")]
    [InlineData("utf-32", "the file is UTF-32 (LE) encoded; curate reads UTF-8: convert it, e.g. iconv -f UTF-32LE -t UTF-8")]
    public void Jsonl_WideEncodingWithoutByteOrderMark_IsRecognisedByItsZeros(string encoding, string hint)
    {
        var path = _dir.Write("chat.jsonl", Encoding.GetEncoding(encoding).GetBytes(Chat + "\n" + "{\"text\":\"Grüße, ça va? 日本\"}\n"));

        Assert.Equal(hint, Explain(path));
    }

    [Fact]
    public void Csv_Utf16_IsNamedBeforeTheDelimiter()
    {
        var path = _dir.Write("faq.csv", [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes("question,answer\nq,a\n")]);

        Assert.StartsWith("the file is UTF-16 (LE) encoded", Explain(path), StringComparison.Ordinal);
    }

    [Fact]
    public void Jsonl_Latin1_SaysItIsNotUtf8()
    {
        var path = _dir.Write("chat.jsonl", Encoding.Latin1.GetBytes("{\"text\":\"caf\u00e9 cr\u00e8me\"}\n"));

        Assert.StartsWith("the file is not UTF-8", Explain(path), StringComparison.Ordinal);
    }

    [Fact]
    public void Jsonl_Utf8WithOneBadLine_SaysNothing()
    {
        var path = _dir.Write("chat.jsonl", [.. Encoding.UTF8.GetBytes(Chat + "\n" + Chat + "\n"), .. Encoding.Latin1.GetBytes("{\"text\":\"caf\u00e9\"}\n")]);

        Assert.Null(Explain(path));
    }

    [Fact]
    public void Jsonl_Utf8WithBom_SaysNothing()
    {
        var path = _dir.Write("chat.jsonl", [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(Chat + "\n{\"text\":\"Grüße\"}\n")]);

        Assert.Null(Explain(path));
    }

    [Fact]
    public void Jsonl_HoldingOneArray_SaysSo()
    {
        var path = _dir.Write("chat.jsonl", $"[\n  {Chat},\n  {Chat}\n]\n");

        Assert.Equal("the file is one JSON array, not one record per line: name it .json, or convert it, e.g. jq -c '.[]'", Explain(path));
    }

    [Fact]
    public void Jsonl_PrettyPrinted_SaysRecordsSpanLines()
    {
        var path = _dir.Write("chat.jsonl", "{\n  \"text\": \"a\"\n}\n{\n  \"text\": \"b\"\n}\n");

        Assert.StartsWith("the records span several lines (pretty-printed JSON)", Explain(path), StringComparison.Ordinal);
    }

    [Fact]
    public void Jsonl_TruncatedFirstLine_IsNotTakenForPrettyPrinting()
    {
        var path = _dir.Write("chat.jsonl", "{\"messages\": [{\"role\"\n" + Chat + "\n" + Chat + "\n");

        Assert.Null(Explain(path));
    }

    [Fact]
    public void Json_RecordsWrappedInAnObject_NamesTheKey()
    {
        var path = _dir.Write("chat.json", $$"""{"version": "1.0", "meta": {"a": [1, 2]}, "data": [{{Chat}}, {{Chat}}]}""");

        Assert.Equal(
            "the records are wrapped in one object, under 'data'; curate reads a top-level array or one record per line: unwrap them, e.g. jq -c '.data[]'",
            Explain(path));
    }

    [Fact]
    public void Json_ObjectWithARecordShape_SaysNothing()
    {
        var path = _dir.Write("chat.json", Chat);

        Assert.Null(Explain(path));
    }

    [Fact]
    public void Jsonl_Fine_SaysNothing()
    {
        var path = _dir.Write("chat.jsonl", Chat + "\n" + Chat + "\n");

        Assert.Null(Explain(path));
    }

    [Fact]
    public async Task Parquet_MessagesOfTheWrongType_NamesColumnAndTypes()
    {
        var path = _dir.File("chat.parquet");
        await WriteParquetAsync(path, new DataField<string>("id"), new DataField<long>("messages"));

        Assert.Equal("column 'messages' is int64; expected a list of {role, content} structs", Explain(path));
    }

    [Fact]
    public async Task Parquet_TurnsWithOtherFieldNames_NamesTheStruct()
    {
        var path = _dir.File("chat.parquet");
        await SerializeAsync(path, new SpeakerRow { Messages = [new SpeakerTurn { Speaker = "user", Text = "Hi" }] });

        Assert.Equal("column 'messages' is list<struct{speaker: string, text: string}>; expected a list of {role, content} structs", Explain(path));
    }

    [Fact]
    public async Task Parquet_PromptCompletionWithANumberAnswer_NamesTheColumn()
    {
        var path = _dir.File("qa.parquet");
        await WriteParquetAsync(path, new DataField<string>("question"), new DataField<int>("answer"));
        var options = new InputOptions { Path = path, Fields = new() { ["prompt"] = "question", ["response"] = "answer" } };

        Assert.Equal("column 'answer' is int32; expected a string", Explain(path, options));
    }

    [Fact]
    public async Task Parquet_ConfiguredFormatWithoutItsColumn_SaysWhichIsMissing()
    {
        var path = _dir.File("chat.parquet");
        await WriteParquetAsync(path, new DataField<string>("prompt"), new DataField<string>("output"));
        var options = new InputOptions { Path = path, Format = InputFormat.Alpaca };

        Assert.Equal("no column 'instruction', which alpaca records need; map the column that holds it under fields: (instruction: <column>)", Explain(path, options));
    }

    [Fact]
    public async Task Parquet_NoKnownColumn_ListsTheColumns()
    {
        var path = _dir.File("x.parquet");
        await WriteParquetAsync(path, new DataField<long>("n"), new DataField<string>("body"));

        Assert.StartsWith("no column holds a known record shape (columns: 'n' (int64), 'body' (string)); expected 'messages' (openai)", Explain(path), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Parquet_RightShape_SaysNothing()
    {
        var path = _dir.File("chat.parquet");
        await SerializeAsync(path, new ChatRow { Messages = [new ChatTurn { Role = "user", Content = "Hi" }] });

        Assert.Null(Explain(path));
    }

    [Fact]
    public void MissingUnsupportedOrEmptyFile_SaysNothing()
    {
        Assert.Null(Explain(_dir.File("missing.jsonl")));
        Assert.Null(Explain(_dir.Write("notes.txt", "hello")));
        Assert.Null(Explain(_dir.Write("empty.csv", string.Empty)));
        Assert.Null(Explain(_dir.Write("fake.parquet", "not parquet")));
    }

    private static async Task SerializeAsync<T>(string path, T row)
    {
        await using var stream = File.Create(path);
        await ParquetSerializer.SerializeAsync(new[] { row }, stream);
    }

    private static async Task WriteParquetAsync(string path, DataField first, DataField second)
    {
        var schema = new ParquetSchema(first, second);
        await using var stream = File.Create(path);
        await using var writer = await ParquetWriter.CreateAsync(schema, stream);
        using var rowGroup = writer.CreateRowGroup();
        await WriteColumnAsync(rowGroup, first);
        await WriteColumnAsync(rowGroup, second);
        rowGroup.CompleteValidate();
    }

    private static Task WriteColumnAsync(ParquetRowGroupWriter rowGroup, DataField field) =>
        field.ClrType == typeof(ReadOnlyMemory<char>) ? rowGroup.WriteAsync(field, new[] { "a" })
        : field.ClrType == typeof(int) ? rowGroup.WriteAsync(field, new ReadOnlyMemory<int>([1]))
        : rowGroup.WriteAsync(field, new ReadOnlyMemory<long>([1L]));

    private sealed class SpeakerRow
    {
        [JsonPropertyName("messages")]
        public List<SpeakerTurn>? Messages { get; set; }
    }

    private sealed class SpeakerTurn
    {
        [JsonPropertyName("speaker")]
        public string? Speaker { get; set; }

        [JsonPropertyName("text")]
        public string? Text { get; set; }
    }

    private sealed class ChatRow
    {
        [JsonPropertyName("messages")]
        public List<ChatTurn>? Messages { get; set; }
    }

    private sealed class ChatTurn
    {
        [JsonPropertyName("role")]
        public string? Role { get; set; }

        [JsonPropertyName("content")]
        public string? Content { get; set; }
    }
}
