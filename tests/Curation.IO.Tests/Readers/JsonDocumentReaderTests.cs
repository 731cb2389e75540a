using Curation.TestKit;
using System.Text;
using System.Text.Json;
using Curation.Core;
using Curation.Core.Records;
using Curation.IO.Readers;
using Curation.IO.Tests.Inputs;
using Xunit.Abstractions;

namespace Curation.IO.Tests.Readers;

public sealed class JsonDocumentReaderTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly ITestOutputHelper _output;

    public JsonDocumentReaderTests(ITestOutputHelper output)
    {
        _output = output;
    }

    public void Dispose() => _dir.Dispose();

    private static async Task<List<RawItem>> ReadAsync(string text, int bufferBytes = 1 << 20)
    {
        var reader = new JsonDocumentReader("t.json", bufferBytes);
        var batches = await Items.ReadBatchesAsync(reader.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(text)), CancellationToken.None));
        return batches.SelectMany(b => b).ToList();
    }

    [Fact]
    public async Task ReadAsync_Array_YieldsEachElementsExactBytesWithOneBasedIndex()
    {
        var text = "[\n  {\"a\": 1,\n   \"b\": [1, 2]},\n  {\"c\": \"x\\\"y\"} ,\"just a string\", 42, null, [ {} ]\n]\n";

        var items = await ReadAsync(text);

        Assert.Equal(["{\"a\": 1,\n   \"b\": [1, 2]}", "{\"c\": \"x\\\"y\"}", "\"just a string\"", "42", "null", "[ {} ]"], items.Texts());
        Assert.Equal([1L, 2L, 3L, 4L, 5L, 6L], items.Select(i => i.Source.Position));
        Assert.All(items, i => Assert.Equal(SourceUnit.Element, i.Source.Unit));
    }

    [Fact]
    public async Task ReadAsync_ArrayThroughTinyBuffer_MatchesWholeDocumentParse()
    {
        var elements = Enumerable.Range(0, 300)
            .Select(i => $"{{\"i\":{i},\"nested\":{{\"list\":[{string.Join(",", Enumerable.Range(0, i % 40))}]}},\"s\":\"{new string('z', i * 7 % 500)}\"}}")
            .ToList();
        var text = "\uFEFF [" + string.Join(",\n", elements) + "]";

        var items = await ReadAsync(text, bufferBytes: 16);

        Assert.Equal(elements, items.Texts());
        Assert.Equal(Enumerable.Range(1, 300).Select(i => (long)i), items.Select(i => i.Source.Position));
    }

    [Fact]
    public async Task ReadAsync_InvalidUtf8InElement_PassesBytesThroughUntouched()
    {
        byte[] broken = [.. "{\"t\":\""u8, 0xC3, 0x28, 0xFF, .. "\"}"u8];
        byte[] file = [(byte)'[', .. broken, (byte)',', .. "{\"ok\":1}]"u8];

        var batches = await Items.ReadBatchesAsync(new JsonDocumentReader("t.json").ReadAsync(new MemoryStream(file), CancellationToken.None));
        var items = batches.SelectMany(b => b).ToList();

        Assert.Equal(broken, items[0].Utf8Json.ToArray());
        Assert.Equal("{\"ok\":1}", items[1].Text());
    }

    [Fact]
    public async Task ReadAsync_EmptyArray_YieldsNothing()
    {
        Assert.Empty(await ReadAsync("  [ ]  "));
    }

    [Fact]
    public async Task ReadAsync_SyntaxErrorInArray_ThrowsWithElementLineAndByte()
    {
        var text = "[\n{\"a\":1},\n{\"a\":2},\n{\"a\" 3}\n]";

        var error = await Assert.ThrowsAsync<CurationException>(() => ReadAsync(text, bufferBytes: 16));

        Assert.Matches(@"^t\.json: element 3 \(line 4, byte \d+\): invalid JSON: .+", error.Message);
        Assert.DoesNotContain("LineNumber", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_TruncatedArray_Throws()
    {
        var error = await Assert.ThrowsAsync<CurationException>(() => ReadAsync("[{\"a\":1},{\"a\":"));

        Assert.StartsWith("t.json: element 2 (line 1, byte ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_ContentAfterArray_Throws()
    {
        var error = await Assert.ThrowsAsync<CurationException>(() => ReadAsync("[{\"a\":1}]\n{\"b\":2}"));

        Assert.Contains("invalid JSON", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_SingleObject_IsElementOne()
    {
        var items = await ReadAsync("\n\n  {\"conversations\": [\n {\"from\": \"human\"}\n]}\n\n");

        var item = Assert.Single(items);
        Assert.Equal("{\"conversations\": [\n {\"from\": \"human\"}\n]}", item.Text());
        Assert.Equal(new SourceRef("t.json", 1, SourceUnit.Element), item.Source);
    }

    [Fact]
    public async Task ReadAsync_JsonLinesInJsonFile_FallsBackToLines()
    {
        var items = await ReadAsync("\n{\"a\":1}\n{\"a\":2}\r\n\n{\"a\":3", bufferBytes: 16);

        Assert.Equal(["{\"a\":1}", "{\"a\":2}", "{\"a\":3"], items.Texts());
        Assert.Equal([2L, 3L, 5L], items.Select(i => i.Source.Position));
        Assert.All(items, i => Assert.Equal(SourceUnit.Line, i.Source.Unit));
    }

    [Fact]
    public async Task ReadAsync_BrokenSingleValue_ThrowsWithHint()
    {
        var error = await Assert.ThrowsAsync<CurationException>(() => ReadAsync("{\"a\":\n tru }"));

        Assert.StartsWith("t.json: element 1 (line 2, byte ", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("(a .json file holds one JSON value, an array of values, or JSON Lines)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_WhitespaceOnly_YieldsNothing()
    {
        Assert.Empty(await ReadAsync(" \n\t\r\n ", bufferBytes: 16));
    }

    [SkippableFact]
    public async Task ReadFileAsync_AxolotlConversation_IsOneObjectEqualToTheFile()
    {
        var path = RepositoryPaths.SharedFixture("axolotl/conversation.json");
        Skip.If(path is null, "shared fixture not found beside the repository (../shared/fixtures)");

        var item = Assert.Single(await Items.ReadAsync(path));

        Assert.Equal(SourceUnit.Element, item.Source.Unit);
        Assert.Equal(1, item.Source.Position);
        Assert.Equal(File.ReadAllText(path).Trim(), item.Text());
        using var document = JsonDocument.Parse(item.Utf8Json);
        Assert.Equal(12, document.RootElement.GetProperty("conversations").GetArrayLength());
    }

    [SkippableTheory]
    [InlineData("axolotl/alpaca.json", 2)]
    [InlineData("LLaMA-Factory/identity.json", 91)]
    [InlineData("label-studio-examples/qa_pairs_openai_wiki_hurricane_dataset_format.jsonl", 23)]
    public async Task ReadFileAsync_RealFixture_YieldsEveryRecord(string fixture, int count)
    {
        var path = RepositoryPaths.SharedFixture(fixture);
        Skip.If(path is null, "shared fixture not found beside the repository (../shared/fixtures)");

        var items = await Items.ReadAsync(path);

        Assert.Equal(count, items.Count);
        Assert.All(items, item =>
        {
            using var document = JsonDocument.Parse(item.Utf8Json);
            Assert.Equal(JsonValueKind.Object, document.RootElement.ValueKind);
        });
        Assert.Equal(Enumerable.Range(1, count).Select(i => (long)i), items.Select(i => i.Source.Position));
    }

    [Fact]
    public async Task ReadFileAsync_GzippedJsonArray_StreamsElements()
    {
        var path = _dir.Write("a.json.gz", Compression.DecompressionTests.Gzip("[{\"x\":1},{\"x\":2}]"));

        var items = await Items.ReadAsync(path);

        Assert.Equal(["{\"x\":1}", "{\"x\":2}"], items.Texts());
    }
}
