using Curation.Core;
using Curation.Core.Config;
using Curation.Core.Stages;
using Curation.Core.Files;
using Curation.Core.Records;
using Curation.IO.Writers;

namespace Curation.IO.Tests.Writers;

public sealed class RecordWriterFactoryTests : IDisposable
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

    [Theory]
    [InlineData(OutputFormat.OpenAi, OutputCompression.None, "data.jsonl")]
    [InlineData(OutputFormat.Alpaca, OutputCompression.Gzip, "data.jsonl.gz")]
    [InlineData(OutputFormat.ShareGpt, OutputCompression.Zstd, "data.jsonl.zst")]
    [InlineData(OutputFormat.Parquet, OutputCompression.None, "data.parquet")]
    public async Task Create_EachFormat_WritesTheNamedFileInANewFolder(OutputFormat format, OutputCompression compression, string name)
    {
        var folder = Path.Combine(_directory.Path, "out", "run1");
        var options = new OutputOptions { Format = format, Compression = compression };

        await using var writer = RecordWriterFactory.Create(NewOutputs(), options, folder);
        await writer.WriteAsync(writer.Encode([SampleRecords.MultiTurn()]), CancellationToken.None);
        var info = await CommitAsync(writer);

        Assert.Equal(name, RecordWriterFactory.DataFileName(options));
        Assert.Equal(Path.Combine(folder, name), info.Path);
        Assert.True(File.Exists(info.Path));
        Assert.Equal(1, info.Records);
        Assert.Equal(format == OutputFormat.Parquet, writer is ParquetRecordWriter);
    }

    [Fact]
    public void Create_ParquetWithCompression_ThrowsAUserError()
    {
        var options = new OutputOptions { Format = OutputFormat.Parquet, Compression = OutputCompression.Gzip };

        var exception = Assert.Throws<CurationException>(() => RecordWriterFactory.Create(NewOutputs(), options, _directory.Path));

        Assert.StartsWith("output: compression applies to JSONL output only", exception.Message, StringComparison.Ordinal);
        Assert.Empty(_directory.Names());
    }

    [Fact]
    public async Task CreateRejects_WritesRejectsJsonl()
    {
        await using var writer = RecordWriterFactory.CreateRejects(NewOutputs(), Path.Combine(_directory.Path, RecordWriterFactory.RejectsFileName));
        var reject = new Reject("read", "schema", "d", new SourceRef("f", 1, SourceUnit.Line));
        await writer.WriteAsync(writer.Encode([reject]), CancellationToken.None);

        var info = await CommitAsync(writer);

        Assert.Equal(Path.Combine(_directory.Path, "rejects.jsonl"), info.Path);
        Assert.Equal("rejects", info.Role);
    }
}
