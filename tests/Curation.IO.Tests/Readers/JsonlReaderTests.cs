using System.Text;
using Curation.Core.Records;
using Curation.IO.Readers;
using Curation.IO.Tests.Inputs;

namespace Curation.IO.Tests.Readers;

public sealed class JsonlReaderTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static async Task<List<RawItem>> ReadAsync(byte[] bytes, int bufferBytes = 1 << 20)
    {
        var batches = await Items.ReadBatchesAsync(new JsonlReader("t.jsonl", bufferBytes).ReadAsync(new MemoryStream(bytes), CancellationToken.None));
        return batches.SelectMany(b => b).ToList();
    }

    private static Task<List<RawItem>> ReadAsync(string text, int bufferBytes = 1 << 20) => ReadAsync(Encoding.UTF8.GetBytes(text), bufferBytes);

    [Fact]
    public async Task ReadAsync_CrlfAndBlankLines_StripsCarriageReturnAndKeepsLineNumbers()
    {
        var items = await ReadAsync("{\"a\":1}\r\n\r\n   \t \n{\"a\":2}\r\n\n{\"a\":3}");

        Assert.Equal(["{\"a\":1}", "{\"a\":2}", "{\"a\":3}"], items.Texts());
        Assert.Equal([1L, 4L, 6L], items.Select(i => i.Source.Position));
        Assert.All(items, i => Assert.Equal(SourceUnit.Line, i.Source.Unit));
        Assert.All(items, i => Assert.Equal("t.jsonl", i.Source.File));
    }

    [Fact]
    public async Task ReadAsync_LastLineWithoutNewline_IsAnItem()
    {
        var items = await ReadAsync("{\"a\":1}\n{\"b\":2}");

        Assert.Equal(["{\"a\":1}", "{\"b\":2}"], items.Texts());
    }

    [Fact]
    public async Task ReadAsync_Utf8Bom_IsDropped()
    {
        var items = await ReadAsync([0xEF, 0xBB, 0xBF, .. "{\"a\":1}\n"u8]);

        Assert.Equal("{\"a\":1}", Assert.Single(items).Text());
    }

    [Fact]
    public async Task ReadAsync_InvalidUtf8_PassesBytesThroughUntouched()
    {
        byte[] broken = [.. "{\"t\":\""u8, 0xC3, 0x28, 0xFF, 0xFE, .. "\"}"u8];
        byte[] file = [.. "{\"ok\":1}\n"u8, .. broken, (byte)'\n', .. "{\"ok\":2}\n"u8];

        var items = await ReadAsync(file);

        Assert.Equal(3, items.Count);
        Assert.Equal(broken, items[1].Utf8Json.ToArray());
        Assert.Equal(2, items[1].Source.Position);
    }

    [Fact]
    public async Task ReadAsync_TruncatedLastRecord_PassesThroughUnparsed()
    {
        var items = await ReadAsync("{\"a\":1}\n{\"messages\":[{\"role\":\"us");

        Assert.Equal("{\"messages\":[{\"role\":\"us", items[1].Text());
        Assert.Equal(2, items[1].Source.Position);
    }

    [Fact]
    public async Task ReadAsync_NotJsonAtAll_PassesThroughUnparsed()
    {
        var items = await ReadAsync("hello world\n[1,2]\n");

        Assert.Equal(["hello world", "[1,2]"], items.Texts());
    }

    [Fact]
    public async Task ReadAsync_TinyBufferWithVariedLines_MatchesSimpleSplit()
    {
        var random = new Random(42);
        var lines = Enumerable.Range(0, 500)
            .Select(i => i % 17 == 0 ? string.Empty : $"{{\"i\":{i},\"t\":\"{new string((char)('a' + (i % 26)), random.Next(0, 300))}\"}}")
            .ToList();
        var text = string.Join("\n", lines) + "\n";

        var items = await ReadAsync(text, bufferBytes: 16);

        var expected = lines.Select((l, i) => (Line: l, Number: i + 1L)).Where(l => l.Line.Length > 0).ToList();
        Assert.Equal(expected.Select(e => e.Line), items.Texts());
        Assert.Equal(expected.Select(e => e.Number), items.Select(i => i.Source.Position));
    }

    [Fact]
    public async Task ReadAsync_ManyLines_BatchesHoldAtMostTheItemLimitAndStayValid()
    {
        var text = string.Concat(Enumerable.Range(1, 3000).Select(i => $"{{\"i\":{i}}}\n"));

        var batches = await Items.ReadBatchesAsync(new JsonlReader("t.jsonl").ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(text)), CancellationToken.None));

        var full = ReaderLimits.BatchItems;
        Assert.Equal([.. Enumerable.Repeat(full, 3000 / full), 3000 % full], batches.Select(b => b.Length));

        // Items of earlier batches are read after the reader has moved on: their memory must still hold their line.
        var all = batches.SelectMany(b => b).ToList();
        Assert.Equal(Enumerable.Range(1, 3000).Select(i => $"{{\"i\":{i}}}"), all.Texts());

        // One backing array per batch, not one per line.
        Assert.All(batches, batch => Assert.Single(batch.Select(Backing).Distinct()));
    }

    [Fact]
    public async Task ReadAsync_LargeLines_BatchClosesAtTheByteLimit()
    {
        var line = "{\"t\":\"" + new string('x', 100_000) + "\"}\n";

        var batches = await Items.ReadBatchesAsync(new JsonlReader("t.jsonl").ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat(line, 25)))), CancellationToken.None));

        Assert.Equal(25, batches.Sum(b => b.Length));
        Assert.All(batches, b => Assert.True(b.Sum(i => i.Utf8Json.Length) < ReaderLimits.BatchBytes + line.Length));
        Assert.True(batches.Count >= 3);
    }

    [Fact]
    public async Task ReadFileAsync_TwentyMegabyteLine_IsOneItemBetweenItsNeighbours()
    {
        var big = "{\"text\":\"" + new string('y', 20 * 1024 * 1024) + "\"}";
        var path = _dir.Write("big.jsonl", "{\"a\":1}\n" + big + "\n{\"a\":2}\n");

        var items = await Items.ReadAsync(path);

        Assert.Equal(3, items.Count);
        Assert.Equal(big.Length, items[1].Utf8Json.Length);
        Assert.True(items[1].Utf8Json.Span.SequenceEqual(Encoding.UTF8.GetBytes(big)));
        Assert.Equal([1L, 2L, 3L], items.Select(i => i.Source.Position));
    }

    private static byte[] Backing(RawItem item) =>
        System.Runtime.InteropServices.MemoryMarshal.TryGetArray(item.Utf8Json, out var segment) ? segment.Array! : [];
}
