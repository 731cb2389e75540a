using System.Text.Json;
using Curation.Core;
using Curation.Core.Config;
using Curation.Core.Records;
using Curation.IO.Readers;
using Curation.IO.Tests.Inputs;

namespace Curation.IO.Tests.Readers;

public sealed class CsvRowReaderTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static Dictionary<string, string?> Cells(RawItem item) =>
        JsonSerializer.Deserialize<Dictionary<string, string?>>(item.Utf8Json.Span)!;

    [Fact]
    public async Task ReadFileAsync_QuotedCells_KeepsNewlinesQuotesAndCommas()
    {
        var path = _dir.Write("a.csv",
            "instruction,input,output\r\n" +
            "\"Say \"\"hi\"\", politely\",,\"Hi,\r\nthere\"\r\n" +
            "\r\n" +
            "plain,\"x\",y\r\n");

        var items = await Items.ReadAsync(path);

        Assert.Equal(2, items.Count);
        Assert.Equal("{\"instruction\":\"Say \\\"hi\\\", politely\",\"input\":\"\",\"output\":\"Hi,\\r\\nthere\"}", items[0].Text());
        Assert.Equal(new Dictionary<string, string?> { ["instruction"] = "plain", ["input"] = "x", ["output"] = "y" }, Cells(items[1]));
        Assert.Equal([1L, 2L], items.Select(i => i.Source.Position));
        Assert.All(items, i => Assert.Equal(SourceUnit.Row, i.Source.Unit));
    }

    [Fact]
    public async Task ReadFileAsync_NonAsciiText_IsWrittenReadably()
    {
        var path = _dir.Write("u.csv", "\uFEFFprompt,completion\nこんにちは,<b>é</b>\n");

        var item = Assert.Single(await Items.ReadAsync(path));

        Assert.Equal("{\"prompt\":\"こんにちは\",\"completion\":\"<b>é</b>\"}", item.Text());
    }

    [Fact]
    public async Task ReadFileAsync_Tsv_SplitsOnTabs()
    {
        var path = _dir.Write("a.tsv", "prompt\tcompletion\nwhat, then?\tthis, then\n");

        var item = Assert.Single(await Items.ReadAsync(path));

        Assert.Equal(new Dictionary<string, string?> { ["prompt"] = "what, then?", ["completion"] = "this, then" }, Cells(item));
    }

    [Fact]
    public async Task ReadFileAsync_DelimiterOption_OverridesExtension()
    {
        var path = _dir.Write("semi.csv", "a;b\n1,5;2\n");

        var item = Assert.Single(await Items.ReadAsync(path, new InputOptions { Path = path, Delimiter = ";" }));

        Assert.Equal(new Dictionary<string, string?> { ["a"] = "1,5", ["b"] = "2" }, Cells(item));
    }

    [Theory]
    [InlineData(null, false, ",")]
    [InlineData(null, true, "\t")]
    [InlineData("tab", false, "\t")]
    [InlineData("\\t", false, "\t")]
    [InlineData("|", true, "|")]
    public void ResolveDelimiter_OptionOrExtension_PicksDelimiter(string? configured, bool tsv, string expected)
    {
        Assert.Equal(expected, CsvDelimiter.Resolve(configured, tsv));
    }

    [Fact]
    public async Task ReadFileAsync_RaggedRow_BecomesErrorItemAndLaterRowsSurvive()
    {
        var path = _dir.Write("r.csv", "a,b,c,d\n1,2,3,4\n1,2,3\n5,6,7,8\n");

        var items = await Items.ReadAsync(path);

        Assert.Equal(3, items.Count);
        Assert.Equal("{\"$error\":\"row has 3 cells, header has 4 (line 3)\"}", items[1].Text());
        Assert.Equal(2, items[1].Source.Position);
        Assert.Equal("8", Cells(items[2])["d"]);
        using var document = JsonDocument.Parse(items[1].Utf8Json);
        Assert.Equal(RowErrorItem.PropertyName, Assert.Single(document.RootElement.EnumerateObject()).Name);
    }

    [Fact]
    public async Task ReadFileAsync_RaggedRowAfterMultiLineCellAndBlankLine_NamesItsFirstLine()
    {
        var path = _dir.Write("lines.csv", "a,b,c\n1,\"x\ny\",3\n\n1,2\n");

        var items = await Items.ReadAsync(path);

        Assert.Equal("{\"$error\":\"row has 2 cells, header has 3 (line 5)\"}", items[1].Text());
    }

    [Fact]
    public async Task ReadFileAsync_StrayQuote_BecomesErrorItem()
    {
        var path = _dir.Write("q.csv", "a,b\n1,say \"x\n2,ok\n");

        var items = await Items.ReadAsync(path);

        Assert.Equal(2, items.Count);
        Assert.StartsWith("{\"$error\":\"bad quoting near 'say \\\"x'", items[0].Text(), StringComparison.Ordinal);
        Assert.Equal("ok", Cells(items[1])["b"]);
    }

    [Fact]
    public async Task ReadFileAsync_UnclosedQuote_ThrowsWithRowAndLine()
    {
        var path = _dir.Write("open.csv", "a,b\n1,2\n3,\"never closed\n4,5\n6,7\n");

        var error = await Assert.ThrowsAsync<CurationException>(() => Items.ReadAsync(path));

        Assert.EndsWith("open.csv: row 2 (line 3): a quoted cell is never closed, so the rest of the file ran into it", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadFileAsync_DuplicateHeader_ThrowsNamingColumn()
    {
        var path = _dir.Write("dup.csv", "prompt,answer,prompt\n1,2,3\n");

        var error = await Assert.ThrowsAsync<CurationException>(() => Items.ReadAsync(path));

        Assert.EndsWith("dup.csv: header: duplicate column 'prompt' (columns 1 and 3): expected unique column names", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadFileAsync_HeaderOnly_IsEmptyFile()
    {
        var path = _dir.Write("h.csv", "a,b\n");

        var error = await Assert.ThrowsAsync<CurationException>(() => Items.ReadAsync(path));

        Assert.EndsWith("h.csv: empty file: expected at least one record", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadFileAsync_ThousandsOfRows_AreNumberedAcrossBatches()
    {
        var path = _dir.Write("many.csv", "n,t\n" + string.Concat(Enumerable.Range(1, 2500).Select(i => $"{i},\"line\n{i}\"\n")));

        var items = await Items.ReadAsync(path);

        Assert.Equal(2500, items.Count);
        Assert.Equal(Enumerable.Range(1, 2500).Select(i => (long)i), items.Select(i => i.Source.Position));
        Assert.Equal("2500", Cells(items[^1])["n"]);
    }
}
