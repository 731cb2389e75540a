using BenchmarkDotNet.Attributes;
using Curation.Benchmarks.Corpus;
using Curation.Benchmarks.Reporting;
using Curation.Core.Config;
using Curation.Core.Records;
using Curation.Core.Stages;
using Curation.Pipeline;

namespace Curation.Benchmarks;

/// <summary>
/// Every stage kind the catalog registers, built from pipeline YAML as <c>curate run</c> builds it, over the decoded
/// OpenAI corpus on one thread: a per-record stage applied to each record in turn, a stream stage fed batches of 256
/// through channels with one worker. The kinds come from the catalog itself, so a new stage is benchmarked (and its
/// default options checked to build) without a change here.
/// <code>
/// dotnet run -c Release --project benchmarks/Curation.Benchmarks -- --filter '*StageBenchmarks*' --job short
/// </code>
/// </summary>
[Config(typeof(ThroughputConfig))]
public class StageBenchmarks
{
    private const int BatchSize = 256;

    private ChatRecord[] _records = [];
    private Envelope[][] _batches = [];
    private string _folder = string.Empty;
    private Func<IStage> _create = null!;

    [ParamsSource(nameof(Kinds))]
    public string Kind { get; set; } = string.Empty;

    public static IEnumerable<string> Kinds => StageCatalog.Create().Kinds.Order(StringComparer.Ordinal);

    [GlobalSetup]
    public void Setup()
    {
        _records = Corpora.Records(CorpusKind.OpenAi);
        _batches = [.. _records.Select((record, i) => Envelope.Kept(i, record)).Chunk(BatchSize)];
        _folder = Directory.CreateTempSubdirectory("curation-stage-bench-").FullName;
        _create = StageFactory(Kind, _folder);
        var (kept, rejected) = Run();
        Console.WriteLine($"// {Kind}: {_records.Length} records, {kept} kept, {rejected} rejected");
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_folder, recursive: true);

    [Benchmark]
    [Throughput(CorpusKind.OpenAi)]
    public int Stage() => Run().Kept;

    /// <summary>Options a kind needs beyond its defaults, or that make it do its real work on this corpus.</summary>
    private static string OptionsOf(string kind, string repositoryRoot, string folder) => kind switch
    {
        "token-length" => "{ tokenizer: cl100k_base, template: chatml, min_tokens: 16, max_tokens: 2048 }",
        "classifier" => $"{{ model: '{Path.Combine(repositoryRoot, "datasets-sample", "labelled", "quality-model.zip")}', score_only: true }}",
        "apply-review" => $"{{ store: '{Path.Combine(repositoryRoot, "datasets-sample", "review")}' }}",
        "review-export" => $"{{ store: '{Path.Combine(folder, "review-store")}', random: 200 }}",
        "near-dedup" => "{ threshold: 0.8 }",
        _ => "{}",
    };

    private static Func<IStage> StageFactory(string kind, string folder)
    {
        var root = RepositoryRoot();
        var yaml = $$"""
            name: stage-benchmark
            inputs: [input.jsonl]
            stages:
              - {{kind}}: {{OptionsOf(kind, root, folder)}}
            output: { dir: out }
            """;
        var registry = StageCatalog.Create();
        var definition = PipelineLoader.Parse(yaml, "stage-benchmark.yaml", folder, registry);
        var output = Path.Combine(folder, "out");
        return () => PipelineLoader.BuildStages(definition, registry, output).Single().Stage;
    }

    private (int Kept, int Rejected) Run() => _create() switch
    {
        IRecordStage recordStage => Apply(recordStage),
        IStreamStage streamStage => StreamStageFeed.RunAsync(streamStage, _batches, workers: 1).GetAwaiter().GetResult(),
        var other => throw new InvalidOperationException($"{Kind}: {other.GetType().Name} is neither a record nor a stream stage"),
    };

    private (int Kept, int Rejected) Apply(IRecordStage stage)
    {
        var kept = 0;
        foreach (var record in _records)
        {
            kept += stage.Apply(record).IsKept ? 1 : 0;
        }

        return (kept, _records.Length - kept);
    }

    // Benchmarks run from a generated project under bin/: the repository is the nearest folder above with the solution.
    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Curation.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"no Curation.sln above {AppContext.BaseDirectory}");
    }
}
