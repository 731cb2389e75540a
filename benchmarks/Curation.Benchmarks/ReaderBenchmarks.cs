using System.IO.Compression;
using BenchmarkDotNet.Attributes;
using Curation.Benchmarks.Corpus;
using Curation.Benchmarks.Reporting;
using Curation.Core.Config;
using Curation.IO;

namespace Curation.Benchmarks;

/// <summary>
/// <see cref="FileRecordSource.ReadFileAsync(string, InputOptions, CancellationToken)"/> over the 50 MB chat JSONL
/// file (<see cref="ChatFile"/>), plain and gzip compressed, every batch enumerated. The file is written to a temporary
/// folder in setup and removed in cleanup; throughput counts uncompressed bytes.
/// </summary>
[Config(typeof(ThroughputConfig))]
public class ReaderBenchmarks
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"curation-benchmarks-{Environment.ProcessId}");
    private readonly InputOptions _options = new();
    private string _path = string.Empty;

    [GlobalSetup(Target = nameof(Plain))]
    public void SetupPlain() => Write("chat.jsonl", compress: false);

    [GlobalSetup(Target = nameof(Gzip))]
    public void SetupGzip() => Write("chat.jsonl.gz", compress: true);

    [GlobalCleanup]
    public void Cleanup()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    /// <summary>Returns the items read.</summary>
    [Benchmark]
    [Throughput(CorpusKind.ChatFile)]
    public Task<long> Plain() => ReadAllAsync();

    /// <summary>Returns the items read.</summary>
    [Benchmark]
    [Throughput(CorpusKind.ChatFile)]
    public Task<long> Gzip() => ReadAllAsync();

    private async Task<long> ReadAllAsync()
    {
        long items = 0;
        await foreach (var batch in FileRecordSource.ReadFileAsync(_path, _options, CancellationToken.None))
        {
            items += batch.Length;
            FileRecordSource.ReleaseBatch(batch);
        }

        return items;
    }

    private void Write(string name, bool compress)
    {
        Directory.CreateDirectory(_folder);
        _path = Path.Combine(_folder, name);
        long bytes;
        using (var file = new FileStream(_path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
        {
            if (compress)
            {
                using var gzip = new GZipStream(file, CompressionLevel.Optimal);
                bytes = ChatFile.Write(gzip);
            }
            else
            {
                bytes = ChatFile.Write(file);
            }
        }

        var items = ReadAllAsync().GetAwaiter().GetResult();
        Console.WriteLine($"// {name}: {items} records, {bytes} bytes uncompressed, {new FileInfo(_path).Length} bytes on disk");
    }
}
