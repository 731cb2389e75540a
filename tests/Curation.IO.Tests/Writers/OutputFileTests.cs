using System.IO.Compression;
using Curation.Core.Config;
using Curation.Core.Files;
using Curation.IO.Writers;
using Curation.TestKit;

namespace Curation.IO.Tests.Writers;

public sealed class OutputFileTests
{
    [Theory]
    [InlineData(OutputCompression.Gzip)]
    [InlineData(OutputCompression.Zstd)]
    public async Task CompressedFile_IsTheSameBytes_HoweverItsInputWasCutIntoWrites(OutputCompression compression)
    {
        using var temp = new TempFolder();
        var random = new Random(5);
        var text = string.Concat(Enumerable.Range(0, 40_000).Select(i => $"{{\"line\":{i},\"text\":\"{new string((char)('a' + random.Next(26)), random.Next(1, 80))}\"}}\n"));
        var bytes = System.Text.Encoding.UTF8.GetBytes(text);
        var files = new List<byte[]>();
        foreach (var cut in new[] { 1 << 20, 4096, 7, 0 })
        {
            var path = temp.File($"out-{cut}.jsonl.gz");
            using var outputs = new RunOutputs([new PlannedOutput(path, OutputFileRoles.Data, "test")]);
            await using (var file = new OutputFile(outputs, path, OutputFileRoles.Data, compression))
            {
                var position = 0;
                while (position < bytes.Length)
                {
                    // 0: pieces of random sizes, as batches of records come.
                    var size = Math.Min(bytes.Length - position, cut > 0 ? cut : random.Next(1, 300_000));
                    await file.WriteAsync(bytes.AsMemory(position, size), 0, CancellationToken.None);
                    position += size;
                }

                await file.SealAsync(CancellationToken.None);
            }

            outputs.Commit();
            files.Add(File.ReadAllBytes(path));
        }

        Assert.All(files, file => Assert.Equal(files[0], file));
        Assert.Equal(text, Decompress(files[0], compression));
    }

    private static string Decompress(byte[] file, OutputCompression compression)
    {
        using Stream stream = compression == OutputCompression.Gzip
            ? new GZipStream(new MemoryStream(file), CompressionMode.Decompress)
            : new ZstdSharp.DecompressionStream(new MemoryStream(file));
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
