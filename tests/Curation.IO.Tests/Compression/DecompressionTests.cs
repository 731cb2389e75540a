using System.IO.Compression;
using System.Text;
using Curation.Core;
using Curation.IO.Tests.Inputs;
using Curation.IO.Tests.Readers;
using ZstdSharp;

namespace Curation.IO.Tests.Compression;

public sealed class DecompressionTests : IDisposable
{
    private const string Lines = "{\"a\":1}\n{\"a\":2}\n{\"a\":3}\n";

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    public static byte[] Gzip(string text)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(Encoding.UTF8.GetBytes(text));
        }

        return output.ToArray();
    }

    public static byte[] Zstd(string text)
    {
        using var compressor = new Compressor(3);
        return compressor.Wrap(Encoding.UTF8.GetBytes(text)).ToArray();
    }

    [Theory]
    [InlineData("a.jsonl.gz", true)]
    [InlineData("a.jsonl.zst", false)]
    [InlineData("a.jsonl.zstd", false)]
    public async Task ReadFileAsync_CompressedByExtension_Decompresses(string name, bool gzip)
    {
        var path = _dir.Write(name, gzip ? Gzip(Lines) : Zstd(Lines));

        var items = await Items.ReadAsync(path);

        Assert.Equal(["{\"a\":1}", "{\"a\":2}", "{\"a\":3}"], items.Texts());
        Assert.Equal([1L, 2L, 3L], items.Select(i => i.Source.Position));
    }

    [Theory]
    [InlineData("plain-name.jsonl", true)]
    [InlineData("plain-name.jsonl", false)]
    [InlineData("wrong-name.jsonl.gz", false)]
    [InlineData("wrong-name.jsonl.zst", true)]
    public async Task ReadFileAsync_ExtensionLies_DetectsByMagicBytes(string name, bool gzip)
    {
        var path = _dir.Write(name, gzip ? Gzip(Lines) : Zstd(Lines));

        var items = await Items.ReadAsync(path);

        Assert.Equal(3, items.Count);
        Assert.Equal("{\"a\":3}", items[2].Text());
    }

    [Fact]
    public async Task ReadFileAsync_GzipNameOnPlainText_ThrowsNotGzip()
    {
        var path = _dir.Write("plain.jsonl.gz", Lines);

        var error = await Assert.ThrowsAsync<CurationException>(() => Items.ReadAsync(path));

        Assert.Contains("plain.jsonl.gz: not gzip data", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadFileAsync_ConcatenatedGzipMembers_ReadsEveryMember()
    {
        var path = _dir.Write("multi.jsonl.gz", [.. Gzip("{\"a\":1}\n"), .. Gzip("{\"a\":2}\n")]);

        var items = await Items.ReadAsync(path);

        Assert.Equal(["{\"a\":1}", "{\"a\":2}"], items.Texts());
    }

    [Fact]
    public async Task ReadFileAsync_CorruptGzip_ThrowsNamingFileAndOffset()
    {
        var bytes = Gzip(string.Concat(Enumerable.Repeat(Lines, 2000)));
        for (var i = 20; i < 60; i++)
        {
            bytes[i] ^= 0x5a;
        }

        var path = _dir.Write("corrupt.jsonl.gz", bytes);

        var error = await Assert.ThrowsAsync<CurationException>(() => Items.ReadAsync(path));

        Assert.Matches(@"corrupt\.jsonl\.gz: corrupt gzip data near compressed byte \d+: ", error.Message);
    }

    [Fact]
    public async Task ReadFileAsync_TruncatedGzip_ThrowsInsteadOfEndingQuietly()
    {
        var bytes = Gzip(string.Concat(Enumerable.Repeat("{\"text\":\"" + new string('x', 100) + "\"}\n", 5000)));
        var path = _dir.Write("cut.jsonl.gz", bytes[..(bytes.Length / 2)]);

        var error = await Assert.ThrowsAsync<CurationException>(() => Items.ReadAsync(path));

        Assert.Contains("cut.jsonl.gz: corrupt gzip data", error.Message, StringComparison.Ordinal);
        Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadFileAsync_TruncatedZstd_ThrowsNamingFile()
    {
        var random = new Random(7);
        var text = string.Concat(Enumerable.Range(0, 5000).Select(i => $"{{\"n\":{random.Next()}}}\n"));
        var bytes = Zstd(text);
        var path = _dir.Write("cut.jsonl.zst", bytes[..(bytes.Length / 2)]);

        var error = await Assert.ThrowsAsync<CurationException>(() => Items.ReadAsync(path));

        Assert.StartsWith("cut.jsonl.zst: corrupt zstd data near compressed byte ", error.Message.Replace(_dir.Path + "/", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
    }
}
