using System.Security.Cryptography;
using System.Text;
using Curation.Core;
using Curation.Core.Config;
using Curation.IO.Shards;
using Curation.TestKit;
using Parquet;
using Parquet.Schema;

namespace Curation.IO.Tests.Shards;

/// <summary>A Parquet file cut at row group starts (<see cref="ParquetCuts"/>): each range reads its row groups, numbered as the whole file numbers them.</summary>
public sealed class ParquetRangeTests
{
    private static readonly int[] GroupRows = [3, 1, 4, 2, 5];

    [Fact]
    public async Task Cuts_AreTheRowGroupStarts_WithTheRowsBeforeThem()
    {
        using var temp = new TempFolder();
        var path = await WriteAsync(temp);

        var scan = ParquetCuts.Scan(path);

        Assert.NotNull(scan);
        var bytes = await File.ReadAllBytesAsync(path);
        Assert.Equal(bytes.Length, scan.Bytes);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), scan.Sha256);
        Assert.Equal([3L, 4, 8, 10], scan.Cuts.Select(cut => cut.RowsBefore));
        Assert.True(scan.Cuts.Zip(scan.Cuts.Skip(1)).All(pair => pair.First.Offset < pair.Second.Offset));
        Assert.True(scan.Cuts[0].Offset > 4 && scan.Cuts[^1].Offset < bytes.Length - 8);

        // Each row group's first column chunk begins with a page header: the thrift struct's first field, a page type.
        Assert.All(scan.Cuts, cut => Assert.Equal(0x15, bytes[cut.Offset]));
    }

    [Fact]
    public async Task RangesOfEveryChoiceOfCuts_ReadTheSameItemsAsTheWholeFile()
    {
        using var temp = new TempFolder();
        var path = await WriteAsync(temp);
        var options = new InputOptions { Path = path };
        var scan = ParquetCuts.Scan(path)!;
        var expected = await ShardReads.ReadAsync([FilePiece.Whole(path, options)]);
        Assert.Equal(GroupRows.Sum(), expected.Count);

        for (var mask = 1; mask < 1 << scan.Cuts.Count; mask++)
        {
            var chosen = scan.Cuts.Where((_, i) => (mask & (1 << i)) != 0).Prepend(new LineCut(0, 0)).ToList();
            var pieces = chosen.Select((cut, i) => new FilePiece(path, options, cut.Offset, i + 1 < chosen.Count ? chosen[i + 1].Offset : scan.Bytes, 0, cut.RowsBefore)).ToList();
            Assert.Equal(expected, await ShardReads.ReadAsync(pieces));
        }
    }

    [Fact]
    public async Task RangeThatNoLongerFitsTheFile_FailsSayingItChanged()
    {
        using var temp = new TempFolder();
        var path = await WriteAsync(temp);
        var options = new InputOptions { Path = path };
        var cut = ParquetCuts.Scan(path)!.Cuts[1];

        var error = await Assert.ThrowsAsync<CurationException>(() => ShardReads.ReadAsync([new FilePiece(path, options, cut.Offset, new FileInfo(path).Length, 0, cut.RowsBefore + 1)]));

        Assert.EndsWith("the file changed since the run was planned", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OneRowGroupOrNotParquet_IsNotCut()
    {
        using var temp = new TempFolder();
        var broken = temp.Write("broken.parquet", Encoding.UTF8.GetBytes("PAR1 not really PAR1"));

        Assert.Null(ParquetCuts.Scan(broken));
    }

    private static async Task<string> WriteAsync(TempFolder temp)
    {
        var path = temp.File("rows.parquet");
        var prompt = new DataField<string>("prompt");
        var response = new DataField<string>("response");
        var number = new DataField<int?>("n");
        var schema = new ParquetSchema(prompt, response, number);
        await using var stream = File.Create(path);
        await using var writer = await ParquetWriter.CreateAsync(schema, stream);
        var row = 0;
        foreach (var rows in GroupRows)
        {
            using var group = writer.CreateRowGroup();
            var numbers = Enumerable.Range(row, rows).ToArray();
            await group.WriteAsync(prompt, numbers.Select(n => $"question {n}").ToArray());
            await group.WriteAsync(response, numbers.Select(n => n % 3 == 0 ? null : $"answer {n}").ToArray());
            await group.WriteAsync(number, new ReadOnlyMemory<int?>([.. numbers.Select(n => n % 2 == 0 ? (int?)n : null)]));
            row += rows;
        }

        return path;
    }
}
