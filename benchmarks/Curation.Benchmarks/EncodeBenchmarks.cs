using System.Buffers;
using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using Curation.Benchmarks.Corpus;
using Curation.Benchmarks.Reporting;
using Curation.Core.Records;
using Curation.IO.Writers;

namespace Curation.Benchmarks;

/// <summary>
/// <see cref="JsonlRecordWriter.Encode"/> in OpenAI format over the decoded OpenAI corpus, in reader-sized batches
/// (1024 records or 1 MiB of input). Nothing is written: each chunk's pooled buffer is returned at once, as the
/// writer does after writing it.
/// </summary>
[Config(typeof(ThroughputConfig))]
public class EncodeBenchmarks : IAsyncDisposable
{
    private const int BatchItems = 1024;
    private const int BatchBytes = 1 << 20;

    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"curation-benchmarks-{Environment.ProcessId}");
    private JsonlRecordWriter? _writer;
    private ChatRecord[][] _batches = [];

    [GlobalSetup]
    public void Setup()
    {
        _writer = new JsonlRecordWriter(Curation.Core.Files.RunOutputs.Unplanned(), Path.Combine(_folder, "encoded.jsonl"), OutputFormat.OpenAi);
        var records = Corpora.Records(CorpusKind.OpenAi);
        var items = Corpora.Lines(CorpusKind.OpenAi).Items;
        var batches = new List<ChatRecord[]>();
        var batch = new List<ChatRecord>(BatchItems);
        var bytes = 0;
        for (var i = 0; i < records.Length; i++)
        {
            batch.Add(records[i]);
            bytes += items[i].Utf8Json.Length + 1;
            if (batch.Count == BatchItems || bytes >= BatchBytes)
            {
                batches.Add([.. batch]);
                batch.Clear();
                bytes = 0;
            }
        }

        if (batch.Count > 0)
        {
            batches.Add([.. batch]);
        }

        _batches = [.. batches];
        Console.WriteLine($"// {records.Length} records in {_batches.Length} batches, {Corpora.BytesOf(CorpusKind.OpenAi)} bytes in, {OpenAi()} bytes out");
    }

    [GlobalCleanup]
    public Task CleanupAsync() => DisposeAsync().AsTask();

    /// <summary>Deletes the writer's temporary file and the folder.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_writer is not null)
        {
            await _writer.DisposeAsync();
            _writer = null;
        }

        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>Returns the bytes encoded.</summary>
    [Benchmark]
    [Throughput(CorpusKind.OpenAi)]
    public long OpenAi()
    {
        var writer = _writer!;
        long bytes = 0;
        foreach (var batch in _batches)
        {
            var chunk = writer.Encode(batch);
            bytes += chunk.Bytes.Length;
            if (MemoryMarshal.TryGetArray(chunk.Bytes, out var segment) && segment.Array is { Length: > 0 } array)
            {
                ArrayPool<byte>.Shared.Return(array);
            }
        }

        return bytes;
    }
}
