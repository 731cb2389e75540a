using BenchmarkDotNet.Attributes;
using Curation.Core.Records;
using Curation.Dedup.MinHash;
using Curation.Dedup.Near;
using Curation.DedupAccuracy;

namespace Curation.Benchmarks;

/// <summary>
/// The whole <c>near-dedup</c> stage (defaults, verification on) over 100,000 documents of prose, on every core: the
/// accuracy benchmark's corpus of Debian prose (seed 42, 3,000 bases and their near-copies, 4,223 documents), scaled
/// up with heavily edited copies of it (each word edited with probability 0.5: distinct texts with the same words
/// and lengths, not near-duplicates). Each operation is one document, so Op/s is documents per second.
/// </summary>
[MemoryDiagnoser]
public class NearDedupProseBenchmarks
{
    private const int Documents = 100_000;
    private const int BatchSize = 256;

    private Envelope[][] _batches = [];
    private string _folder = string.Empty;

    [GlobalSetup]
    public void Setup()
    {
        var random = new SeededRandom(42);
        var bases = CorpusBuilder.Build(3000, random, new TextSimplifier(new SimplifyOptions()));
        var perturber = new Perturber(random);
        var corpus = bases.Concat(perturber.Variants(bases, 0.2)).Select(document => document.Text).ToList();
        var texts = new List<string>(Documents);
        for (var i = 0; i < Documents; i++)
        {
            texts.Add(i < corpus.Count ? corpus[i] : perturber.Perturb(corpus[i % corpus.Count], 0.5, out _));
        }

        _batches = [.. texts.Select((text, i) => Envelope.Kept(i, new ChatRecord
        {
            Id = $"prose-{i}",
            Messages = [new Message(Roles.User, text)],
            Source = new SourceRef("prose.jsonl", i + 1, SourceUnit.Line),
        })).Chunk(BatchSize)];
        _folder = Directory.CreateTempSubdirectory("curation-bench-").FullName;
        var dropped = WholeStage().GetAwaiter().GetResult();
        Console.WriteLine($"// {Documents} documents ({texts.Sum(text => (long)text.Length) / 1e6:0.0} M chars), {Environment.ProcessorCount} workers, {dropped} dropped as near-duplicates");
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_folder, recursive: true);

    [Benchmark(OperationsPerInvoke = Documents)]
    public async Task<int> WholeStage()
    {
        var stage = new NearDedupStage(new NearDedupOptions(), "near-dedup", _folder, _folder, pipelineSeed: 1);
        return (await StreamStageFeed.RunAsync(stage, _batches, Environment.ProcessorCount)).Rejected;
    }
}
