using Curation.Core.Files;
using System.Security.Cryptography;
using System.Text;
using Curation.Core;
using Curation.Core.Config;
using Curation.Core.Records;
using Curation.IO.Tests.Compression;
using Curation.IO.Tests.Inputs;
using Curation.IO.Tests.Readers;

namespace Curation.IO.Tests;

[Collection(MemoryMeasurements.Name)]
public sealed class FileRecordSourceTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static async Task<List<RawItem>> ReadAllAsync(FileRecordSource source)
    {
        var items = new List<RawItem>();
        await foreach (var batch in source.ReadAsync(CancellationToken.None))
        {
            items.AddRange(batch);
        }

        return items;
    }

    [Fact]
    public async Task ReadAsync_SeveralInputs_ReadsFilesInOrderAndRecordsEach()
    {
        var jsonl = _dir.Write("in/b.jsonl", "{\"n\":1}\n{\"n\":2}\n");
        var gz = _dir.Write("in/a.jsonl.gz", DecompressionTests.Gzip("{\"n\":3}\n"));
        var csv = _dir.Write("table.csv", "prompt,completion\nq,a\n");
        var source = FileRecordSource.Create([new InputOptions { Path = "in" }, new InputOptions { Path = "table.csv" }], _dir.Path);

        var items = await ReadAllAsync(source);

        Assert.Equal(["{\"n\":3}", "{\"n\":1}", "{\"n\":2}", "{\"prompt\":\"q\",\"completion\":\"a\"}"], items.Texts());
        Assert.Equal([DisplayPath.For(gz), DisplayPath.For(jsonl), DisplayPath.For(jsonl), DisplayPath.For(csv)], items.Select(i => i.Source.File));
        Assert.Equal([DisplayPath.For(gz), DisplayPath.For(jsonl), DisplayPath.For(csv)], source.Files.Select(f => f.Path));
        Assert.Equal([1L, 2L, 1L], source.Files.Select(f => f.Items));
        foreach (var (info, path) in source.Files.Zip([gz, jsonl, csv]))
        {
            Assert.Equal(new FileInfo(path).Length, info.Bytes);
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path))), info.Sha256);
        }

        Assert.Equal(source.TotalBytes, source.BytesRead);
        Assert.Equal(new[] { jsonl, gz, csv }.Sum(p => new FileInfo(p).Length), source.TotalBytes);
    }

    [Fact]
    public async Task ReadAsync_ReaderStopsEarly_HashStillCoversTheWholeFile()
    {
        // A single .json object is read only up to its end plus trailing whitespace, a gzip trailer after the data.
        var path = _dir.Write("one.json.gz", DecompressionTests.Gzip("{\"a\":1}\n" + new string(' ', 300_000)));
        var source = FileRecordSource.Create([new InputOptions { Path = "one.json.gz" }], _dir.Path);

        await ReadAllAsync(source);

        var info = Assert.Single(source.Files);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path))), info.Sha256);
        Assert.Equal(new FileInfo(path).Length, info.Bytes);
    }

    [Fact]
    public async Task ReadAsync_Parquet_RecordsHashAndSize()
    {
        var path = _dir.File("t.parquet");
        await using (var stream = File.Create(path))
        {
            await Parquet.Serialization.ParquetSerializer.SerializeAsync([new TextRow { Text = "hello" }], stream);
        }

        var source = FileRecordSource.Create([new InputOptions { Path = "t.parquet" }], _dir.Path);

        Assert.Equal("{\"Text\":\"hello\"}", Assert.Single(await ReadAllAsync(source)).Text());
        var info = Assert.Single(source.Files);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path))), info.Sha256);
        Assert.Equal(new FileInfo(path).Length, info.Bytes);
        Assert.Equal(source.TotalBytes, source.BytesRead);
    }

    [Theory]
    [InlineData("empty.jsonl", "")]
    [InlineData("blank.jsonl", "\n  \r\n\t\n")]
    [InlineData("blank.json", "  \n ")]
    [InlineData("empty.jsonl.gz", null)]
    public async Task ReadAsync_FileWithoutRecords_ThrowsEmptyFile(string name, string? text)
    {
        _dir.Write(name, text is null ? DecompressionTests.Gzip(string.Empty) : Encoding.UTF8.GetBytes(text));
        var source = FileRecordSource.Create([new InputOptions { Path = name }], _dir.Path);

        var error = await Assert.ThrowsAsync<CurationException>(() => ReadAllAsync(source));

        Assert.EndsWith($"{name}: empty file: expected at least one record", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_EmptyFileAllowed_RecordsZeroItems()
    {
        _dir.Write("empty.jsonl", string.Empty);
        _dir.Write("full.jsonl", "{}\n");
        var source = FileRecordSource.Create([new InputOptions { Path = "empty.jsonl" }, new InputOptions { Path = "full.jsonl" }], _dir.Path, allowEmpty: true);

        var items = await ReadAllAsync(source);

        Assert.Single(items);
        Assert.Equal([0L, 1L], source.Files.Select(f => f.Items));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData([])), source.Files[0].Sha256);
    }

    [Fact]
    public async Task ReadAsync_SecondEnumeration_Throws()
    {
        _dir.Write("a.jsonl", "{}\n");
        var source = FileRecordSource.Create([new InputOptions { Path = "a.jsonl" }], _dir.Path);
        await ReadAllAsync(source);

        await Assert.ThrowsAsync<InvalidOperationException>(() => ReadAllAsync(source));
    }

    [Fact]
    public async Task ReadAsync_Cancelled_StopsWithOperationCanceled()
    {
        _dir.Write("a.jsonl", string.Concat(Enumerable.Repeat("{}\n", 5000)));
        var source = FileRecordSource.Create([new InputOptions { Path = "a.jsonl" }], _dir.Path);
        using var cancel = new CancellationTokenSource();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var batch in source.ReadAsync(cancel.Token))
            {
                await cancel.CancelAsync();
            }
        });
    }

    [Fact]
    public async Task ReadAsync_TwoHundredMegabytes_KeepsMemoryFlat()
    {
        var path = _dir.File("big.jsonl");
        var line = Encoding.UTF8.GetBytes("{\"messages\":[{\"role\":\"user\",\"content\":\"" + new string('q', 400) + "\"},{\"role\":\"assistant\",\"content\":\"" + new string('a', 500) + "\"}]}\n");
        const long target = 200L * 1024 * 1024;
        long lines = 0;
        await using (var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
        {
            for (; lines * line.Length < target; lines++)
            {
                stream.Write(line);
            }
        }

        var source = FileRecordSource.Create([new InputOptions { Path = "big.jsonl" }], _dir.Path);
        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        long peak = 0;
        long items = 0;
        var batches = 0;
        await foreach (var batch in source.ReadAsync(CancellationToken.None))
        {
            items += batch.Length;
            source.Release(batch);
            if (++batches % 25 == 0)
            {
                peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: true) - baseline);
            }
        }

        Assert.Equal(lines, items);
        Assert.True(peak < 64L * 1024 * 1024, $"live memory grew by {peak / (1024 * 1024)} MB while reading 200 MB");
        Assert.Equal(lines, Assert.Single(source.Files).Items);
    }

    private sealed class TextRow
    {
        public string? Text { get; set; }
    }
}
