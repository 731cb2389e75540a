using System.Collections.Concurrent;
using BenchmarkDotNet.Attributes;
using Curation.Benchmarks.Corpus;
using Curation.Benchmarks.Reporting;
using Curation.Core.Records;
using Curation.Dedup.MinHash;
using Curation.Dedup.Near;

namespace Curation.Benchmarks;

/// <summary>
/// Near-duplicate removal on every core of the machine, over the large decoded OpenAI corpus (records of 1 to 2 KB):
/// signing alone (simplify, word 5-grams, 128 permutations, bands) and the whole <c>near-dedup</c> stage with its
/// defaults (verification on), as a pipeline runs it: spill, fingerprints on disk, candidate pairs, exact Jaccard,
/// clusters, second pass.
/// </summary>
[Config(typeof(ThroughputConfig))]
public class NearDedupStageBenchmarks
{
    private const int BatchSize = 256;

    private readonly TextSimplifier _simplifier = new(new SimplifyOptions());
    private readonly Shingler _shingler = new();
    private readonly MinHashSigner _signer = new();
    private readonly BandHasher _bands = new(LshParameters.ForRecall(LshParameters.DefaultThreshold, MinHashSigner.DefaultPermutations));
    private Envelope[][] _batches = [];
    private string[] _documents = [];
    private string _folder = string.Empty;

    [GlobalSetup]
    public void Setup()
    {
        var records = Corpora.Records(CorpusKind.LargeOpenAi);
        _batches = [.. records.Select((record, i) => Envelope.Kept(i, record)).Chunk(BatchSize)];
        _documents = [.. records.Select(record => string.Join('\n', record.Messages.Select(message => message.Content)))];
        _folder = Directory.CreateTempSubdirectory("curation-bench-").FullName;
        var dropped = WholeStage().GetAwaiter().GetResult();
        Console.WriteLine($"// {records.Length} records, {Environment.ProcessorCount} workers, {dropped} dropped as near-duplicates");
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_folder, recursive: true);

    [Benchmark]
    [Throughput(CorpusKind.LargeOpenAi)]
    public ulong SigningAllCores()
    {
        var checksums = new ConcurrentBag<ulong>();
        Parallel.ForEach(
            Partitioner.Create(0, _documents.Length, 64),
            range =>
            {
                var signature = new uint[_signer.Permutations];
                var keys = new ulong[_bands.Parameters.Bands];
                var checksum = 0UL;
                for (var i = range.Item1; i < range.Item2; i++)
                {
                    _signer.Sign(_shingler.Shingle(_simplifier.Simplify(_documents[i])), signature);
                    _bands.Hash(signature, keys);
                    checksum ^= keys[0];
                }

                checksums.Add(checksum);
            });
        return checksums.Aggregate(0UL, (a, b) => a ^ b);
    }

    [Benchmark]
    [Throughput(CorpusKind.LargeOpenAi)]
    public async Task<int> WholeStage()
    {
        var stage = new NearDedupStage(new NearDedupOptions(), "near-dedup", _folder, _folder, pipelineSeed: 1);
        return (await StreamStageFeed.RunAsync(stage, _batches, Environment.ProcessorCount)).Rejected;
    }
}
