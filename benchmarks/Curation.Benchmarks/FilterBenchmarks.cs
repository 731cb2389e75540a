using BenchmarkDotNet.Attributes;
using Curation.Benchmarks.Corpus;
using Curation.Benchmarks.Reporting;
using Curation.Core.Records;
using Curation.Core.Stages;
using Curation.Filters.Pii;
using Curation.Filters.Quality;

namespace Curation.Benchmarks;

/// <summary>The rule-based filter stages with their defaults over the decoded OpenAI corpus, single-threaded.</summary>
[Config(typeof(ThroughputConfig))]
public class FilterBenchmarks
{
    private ChatRecord[] _records = [];
    private IRecordStage _gopherQuality = null!;
    private IRecordStage _gopherRepetition = null!;
    private IRecordStage _fineWeb = null!;
    private IRecordStage _c4 = null!;
    private IRecordStage _instruction = null!;
    private IRecordStage _pii = null!;

    [GlobalSetup]
    public void Setup()
    {
        _records = Corpora.Records(CorpusKind.OpenAi);
        _gopherQuality = new GopherQualityStage(new GopherQualityOptions(), "gopher-quality");
        _gopherRepetition = new GopherRepetitionStage(new GopherRepetitionOptions(), "gopher-repetition");
        _fineWeb = new FineWebQualityStage(new FineWebQualityOptions(), "fineweb-quality");
        _c4 = new C4QualityStage(new C4QualityOptions(), "c4-quality");
        _instruction = new InstructionQualityStage(new InstructionQualityOptions(), "instruction-quality");
        _pii = new PiiStage(new PiiOptions(), "pii");
    }

    [Benchmark]
    [Throughput(CorpusKind.OpenAi)]
    public int GopherQuality() => Run(_gopherQuality);

    [Benchmark]
    [Throughput(CorpusKind.OpenAi)]
    public int GopherRepetition() => Run(_gopherRepetition);

    [Benchmark]
    [Throughput(CorpusKind.OpenAi)]
    public int FineWebQuality() => Run(_fineWeb);

    [Benchmark]
    [Throughput(CorpusKind.OpenAi)]
    public int C4Quality() => Run(_c4);

    [Benchmark]
    [Throughput(CorpusKind.OpenAi)]
    public int InstructionQuality() => Run(_instruction);

    [Benchmark]
    [Throughput(CorpusKind.OpenAi)]
    public int Pii() => Run(_pii);

    private int Run(IRecordStage stage)
    {
        var kept = 0;
        foreach (var record in _records)
        {
            kept += stage.Apply(record).IsKept ? 1 : 0;
        }

        return kept;
    }
}
