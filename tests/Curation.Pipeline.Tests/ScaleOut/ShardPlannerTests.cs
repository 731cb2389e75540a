using System.IO.Compression;
using System.Text;
using Curation.Pipeline.ScaleOut;
using Curation.TestKit;
using Parquet;
using Parquet.Schema;

namespace Curation.Pipeline.Tests.ScaleOut;

/// <summary>How <see cref="ShardPlanner"/> cuts CSV/TSV and Parquet inputs: ranges that tile the file, starting where its reader starts a record.</summary>
public sealed class ShardPlannerTests
{
    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(9)]
    public async Task Parquet_IsCutAtTheRowGroupStartNearestEachWantedCut(int tasks)
    {
        using var temp = new TempFolder();
        int[] groups = [50, 10, 120, 30, 30, 200, 15, 60];
        var path = temp.File("in.parquet");
        var starts = await WriteParquetAsync(path, groups);
        var bytes = new FileInfo(path).Length;

        var plan = Plan(temp, "in.parquet", tasks);

        var pieces = AssertTiles(plan, 0, bytes);
        var places = starts.Skip(1).Append(bytes).Prepend(0).ToList();
        for (var k = 1; k < tasks; k++)
        {
            var wanted = bytes * k / tasks;
            var nearest = places.Min(place => Math.Abs(place - wanted));
            // An empty shard (two cuts at one place) starts where the next one that reads something does.
            var cut = plan.Shards.Skip(k).SelectMany(shard => shard.Pieces).Select(piece => piece.Start).DefaultIfEmpty(bytes).First();
            Assert.True(Math.Abs(cut - wanted) == nearest, $"cut {k} at {cut}, wanted {wanted}");
        }

        foreach (var piece in pieces.Where(piece => piece.Start > 0))
        {
            var group = starts.IndexOf(piece.Start);
            Assert.True(group > 0, $"piece at {piece.Start} is not at a row group start");
            Assert.Equal(groups.Take(group).Sum(), piece.RowsBefore);
        }

        Assert.NotNull(plan.Files[0].Sha256);
    }

    [Fact]
    public void Csv_IsCutAtRowStarts_WithTheRowsAndLinesBefore_AndACompressedCsvIsReadWhole()
    {
        using var temp = new TempFolder();
        var text = new StringBuilder("question,answer\n");
        var rowStarts = new List<(long Offset, long Lines, long Rows)>();
        long lines = 1;
        for (var row = 0; row < 300; row++)
        {
            rowStarts.Add((Encoding.UTF8.GetByteCount(text.ToString()), lines, row));
            text.Append(row % 3 == 0 ? $"\"q{row}\nstill q{row}\",\"a{row}\n\"\n" : $"q{row},a{row}\n");
            lines += row % 3 == 0 ? 3 : 1;
        }

        temp.Write("in.csv", text.ToString());
        using (var gzip = new GZipStream(File.Create(temp.File("packed.csv.gz")), CompressionLevel.Fastest))
        {
            gzip.Write(Encoding.UTF8.GetBytes(text.ToString()));
        }

        var plan = Plan(temp, "[in.csv, packed.csv.gz]", 6);

        var csvBytes = new FileInfo(temp.File("in.csv")).Length;
        var pieces = AssertTiles(plan, 0, csvBytes);
        Assert.True(pieces.Count > 1);
        foreach (var piece in pieces.Skip(1))
        {
            Assert.Contains((piece.Start, piece.LinesBefore, piece.RowsBefore), rowStarts);
        }

        Assert.Single(plan.Shards.SelectMany(shard => shard.Pieces), piece => piece.File == 1 && piece.IsWholeFile);
        Assert.DoesNotContain(plan.Shards.SelectMany(shard => shard.Pieces), piece => piece.File == 1 && !piece.IsWholeFile);
        Assert.NotNull(plan.Files[0].Sha256);
    }

    private static ShardPlan Plan(TempFolder temp, string inputs, int tasks)
    {
        var file = temp.Write("p.yaml", $"inputs: {(inputs.StartsWith('[') ? inputs : $"[{inputs}]")}\nstages: [validate]\noutput:\n  dir: out\n  format: openai\n");
        var prepared = PipelineFactory.Prepare(file, StageCatalog.Create(), null, null);
        return ShardPlanner.Plan(prepared, new ShardRunSettings(file, temp.Path, tasks, null, null, false), "test");
    }

    // The pieces of file 0, in shard order, cover [0, bytes) once, each range starting where the one before ended.
    private static List<PlannedPiece> AssertTiles(ShardPlan plan, int file, long bytes)
    {
        var pieces = plan.Shards.SelectMany(shard => shard.Pieces).Where(piece => piece.File == file).ToList();
        long at = 0;
        foreach (var piece in pieces)
        {
            Assert.Equal(at, piece.Start);
            at = piece.End ?? bytes;
        }

        Assert.Equal(bytes, at);
        return pieces;
    }

    // The file offsets of the row groups' first pages, as written.
    private static async Task<List<long>> WriteParquetAsync(string path, int[] groups)
    {
        var prompt = new DataField<string>("prompt");
        var completion = new DataField<string>("completion");
        var starts = new List<long>();
        await using var stream = File.Create(path);
        await using (var writer = await ParquetWriter.CreateAsync(new ParquetSchema(prompt, completion), stream))
        {
            var row = 0;
            foreach (var rows in groups)
            {
                await stream.FlushAsync();
                starts.Add(stream.Position);
                using var group = writer.CreateRowGroup();
                var numbers = Enumerable.Range(row, rows).ToArray();
                await group.WriteAsync(prompt, numbers.Select(n => $"question {n} {new string('p', n % 37)}").ToArray());
                await group.WriteAsync(completion, numbers.Select(n => $"answer {n}").ToArray());
                row += rows;
            }
        }

        return starts;
    }
}
