using System.Text;
using Curation.Core.Config;
using Curation.IO.Shards;
using Curation.TestKit;

namespace Curation.IO.Tests.Shards;

/// <summary>Byte ranges of a JSON Lines file cut where <see cref="LineCuts"/> says give the whole file's items, sources included.</summary>
public sealed class LineRangeTests
{
    // CRLF, blank lines, a BOM, a long line and a last line without a newline.
    private static readonly byte[] Content = [
        .. new byte[] { 0xEF, 0xBB, 0xBF },
        .. Encoding.UTF8.GetBytes("{\"a\":1}\r\n\n{\"a\":2}\n   \n{\"a\":\"" + new string('x', 300) + "\"}\n{\"a\":4}\r\n\r\n{\"a\":5}\n{\"a\":6}")];

    [Fact]
    public async Task RangesAtEveryCut_ReadTheSameItemsAsTheWholeFile()
    {
        using var temp = new TempFolder();
        var path = temp.Write("lines.jsonl", Content);
        var expected = await ReadAsync(new ShardRecordSource([FilePiece.Whole(path, new InputOptions { Path = path })]));

        for (var wanted = 1L; wanted < Content.Length; wanted++)
        {
            var scan = LineCuts.Scan(path, [wanted]);
            Assert.NotNull(scan);
            Assert.Equal(Content.Length, scan.Bytes);
            Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Content)), scan.Sha256);
            if (scan.Cuts.Count == 0)
            {
                // No line starts at or after the wanted offset, before the end.
                Assert.Equal(-1, Content.AsSpan((int)wanted - 1, Content.Length - (int)wanted).IndexOf((byte)'\n'));
                continue;
            }

            var cut = Assert.Single(scan.Cuts);
            Assert.True(cut.Offset >= wanted);
            Assert.Equal((byte)'\n', Content[cut.Offset - 1]);
            Assert.Equal(Content.AsSpan(0, (int)cut.Offset).Count((byte)'\n'), cut.LinesBefore);
            var options = new InputOptions { Path = path };
            var pieces = new[]
            {
                new FilePiece(path, options, 0, cut.Offset, 0),
                new FilePiece(path, options, cut.Offset, Content.Length, cut.LinesBefore),
            };
            Assert.Equal(expected, await ReadAsync(new ShardRecordSource(pieces)));
        }
    }

    [Fact]
    public void CompressedBytes_AreNotCut()
    {
        using var temp = new TempFolder();
        var path = temp.Write("packed.jsonl", [0x1f, 0x8b, 0x08, 0x00, (byte)'\n', (byte)'x', (byte)'\n']);

        Assert.Null(LineCuts.Scan(path, [3]));
    }

    private static async Task<List<string>> ReadAsync(ShardRecordSource source)
    {
        var items = new List<string>();
        await foreach (var batch in source.ReadAsync(CancellationToken.None))
        {
            items.AddRange(batch.Select(item => $"{item.Source} {Encoding.UTF8.GetString(item.Utf8Json.Span)}"));
            source.Release(batch);
        }

        return items;
    }
}
