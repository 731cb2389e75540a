using Curation.IO.Compression;
using Curation.IO.Inputs;

namespace Curation.IO.Tests.Inputs;

public sealed class InputFileTypeTests
{
    [Theory]
    [InlineData("a.jsonl", InputFileKind.JsonLines, CompressionKind.None)]
    [InlineData("a.NDJSON", InputFileKind.JsonLines, CompressionKind.None)]
    [InlineData("dir.v2/a.jsonl.gz", InputFileKind.JsonLines, CompressionKind.Gzip)]
    [InlineData("a.jsonl.zst", InputFileKind.JsonLines, CompressionKind.Zstd)]
    [InlineData("a.json.zstd", InputFileKind.Json, CompressionKind.Zstd)]
    [InlineData("a.json", InputFileKind.Json, CompressionKind.None)]
    [InlineData("a.csv.gz", InputFileKind.Csv, CompressionKind.Gzip)]
    [InlineData("a.tsv", InputFileKind.Tsv, CompressionKind.None)]
    [InlineData("a.parquet", InputFileKind.Parquet, CompressionKind.None)]
    public void TryFromPath_SupportedName_ReturnsKindAndCompression(string path, InputFileKind kind, CompressionKind compression)
    {
        Assert.True(InputFileType.TryFromPath(path, out var type));
        Assert.Equal(new InputFileType(kind, compression), type);
    }

    [Theory]
    [InlineData("a.txt")]
    [InlineData("a.gz")]
    [InlineData("a.parquet.gz")]
    [InlineData(".json")]
    [InlineData("a.jsonl.bz2")]
    public void TryFromPath_UnsupportedName_ReturnsFalse(string path)
    {
        Assert.False(InputFileType.TryFromPath(path, out _));
    }
}
