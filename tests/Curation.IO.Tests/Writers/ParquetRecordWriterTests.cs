using Curation.Core.Stages;
using Curation.Core.Files;
using System.Security.Cryptography;
using Curation.Core.Records;
using Curation.IO.Writers;
using Parquet;
using Parquet.Serialization;
using Parquet.Serialization.Attributes;
using static Curation.IO.Tests.Writers.SampleRecords;

namespace Curation.IO.Tests.Writers;

public sealed class ParquetRecordWriterTests : IDisposable
{
    private RunOutputs _outputs = RunOutputs.Unplanned();

    private RunOutputs NewOutputs() => _outputs = RunOutputs.Unplanned();

    /// <summary>Seals the writer's file and commits it, as a successful run does.</summary>
    private async Task<OutputFileInfo> CommitAsync<T>(IRecordWriter<T> writer)
    {
        var info = await writer.SealAsync(CancellationToken.None);
        _outputs.Commit();
        return info;
    }

    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task WriteAsync_Records_ReadBackWithTheSameFields()
    {
        var records = Many(20)
            .Append(Rich())
            .Append(Record("empty", []))
            .Append(Record("tool", new Message(Roles.Tool, "t") { Name = "calc" }))
            .ToArray();

        var info = await WriteAsync("data.parquet", records, rowGroupSize: 1000);
        var rows = await ReadAsync(info.Path);

        Assert.Equal(records.Length, rows.Count);
        for (var i = 0; i < records.Length; i++)
        {
            var expected = records[i];
            var row = rows[i];
            Assert.Equal(expected.Id, row.Id);
            Assert.Equal(expected.Source.ToString(), row.Source);
            Assert.Equal(
                expected.Messages.Select(m => (m.Role, m.Content, m.Weight, m.Name)),
                row.Messages!.Select(m => (m.Role, m.Content, m.Weight, m.Name)));
            var metadata = expected.Metadata.IsEmpty ? "{}" : "{" + string.Join(",", expected.Metadata.Select(p => $"\"{p.Key}\":{p.Value.GetRawText()}")) + "}";
            Assert.Equal(metadata, row.Metadata);
        }
    }

    [Fact]
    public async Task WriteAsync_MoreRecordsThanARowGroup_SplitsIntoRowGroups()
    {
        var info = await WriteAsync("data.parquet", Many(25), rowGroupSize: 10);

        await using (var reader = await ParquetReader.CreateAsync(info.Path))
        {
            Assert.Equal(3, reader.RowGroupCount);
            Assert.Equal([10L, 10L, 5L], reader.RowGroups.Select(group => group.RowCount));
        }

        Assert.Equal(Many(25).Select(r => r.Id), (await ReadAsync(info.Path)).Select(r => r.Id));
        Assert.Equal(25, info.Records);
    }

    [Fact]
    public async Task WriteAsync_SameInputTwice_GivesIdenticalBytesAndHash()
    {
        var first = await WriteAsync("a.parquet", Many(40), rowGroupSize: 16);
        var second = await WriteAsync("b.parquet", Many(40), rowGroupSize: 16);

        var bytes = await File.ReadAllBytesAsync(first.Path);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(second.Path));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), first.Sha256);
        Assert.Equal(bytes.Length, first.Bytes);
        Assert.Equal("PAR1"u8.ToArray(), bytes[..4]);
    }

    [Fact]
    public async Task CompleteAsync_NoRecords_WritesAReadableEmptyFile()
    {
        var info = await WriteAsync("data.parquet", [], rowGroupSize: 10);

        Assert.Empty(await ReadAsync(info.Path));
        Assert.Equal(0, info.Records);
    }

    [Fact]
    public async Task CompleteAsync_Incomplete_IsStillReadableUnderTheIncompleteName()
    {
        var path = _directory.File("data.parquet");
        await using var writer = new ParquetRecordWriter(NewOutputs(), path, 10);
        await writer.WriteAsync(writer.Encode(Many(3)), CancellationToken.None);

        await writer.SealAsync(CancellationToken.None);
        var info = Assert.Single(_outputs.Abandon(keepPartial: true));

        Assert.Equal(["data.parquet.incomplete"], _directory.Names());
        Assert.Equal(3, (await ReadAsync(info.Path)).Count);
    }

    [Fact]
    public async Task DisposeAsync_WithoutComplete_DeletesTheTempFile()
    {
        var writer = new ParquetRecordWriter(NewOutputs(), _directory.File("data.parquet"), 2);
        await writer.WriteAsync(writer.Encode(Many(5)), CancellationToken.None);

        await writer.DisposeAsync();

        Assert.Empty(_directory.Names());
    }

    private async Task<Core.Stages.OutputFileInfo> WriteAsync(string name, ChatRecord[] records, int rowGroupSize)
    {
        await using var writer = new ParquetRecordWriter(NewOutputs(), _directory.File(name), rowGroupSize);
        foreach (var batch in records.Chunk(7))
        {
            await writer.WriteAsync(writer.Encode(batch), CancellationToken.None);
        }

        return await CommitAsync(writer);
    }

    private static async Task<IList<Row>> ReadAsync(string path)
    {
        await using var stream = File.OpenRead(path);
        return (await ParquetSerializer.DeserializeAsync<Row>(stream, new ParquetOptions { PropertyNameCaseInsensitive = true })).Data;
    }

    public sealed class Row
    {
        [ParquetRequired]
        public string Id { get; set; } = string.Empty;

        public List<MessageRow>? Messages { get; set; }

        [ParquetRequired]
        public string Metadata { get; set; } = string.Empty;

        [ParquetRequired]
        public string Source { get; set; } = string.Empty;
    }

    public sealed class MessageRow
    {
        [ParquetRequired]
        public string Role { get; set; } = string.Empty;

        [ParquetRequired]
        public string Content { get; set; } = string.Empty;

        public double? Weight { get; set; }

        public string? Name { get; set; }
    }
}
