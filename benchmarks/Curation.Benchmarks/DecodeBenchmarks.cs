using BenchmarkDotNet.Attributes;
using Curation.Benchmarks.Corpus;
using Curation.Benchmarks.Reporting;
using Curation.Core.Config;
using Curation.Core.Records;
using Curation.IO.Formats;

namespace Curation.Benchmarks;

/// <summary><see cref="RecordDecoder.Decode"/> over about 4 MB of JSON lines per shape, format detected per record as in a pipeline's default.</summary>
[Config(typeof(ThroughputConfig))]
public class DecodeBenchmarks
{
    private readonly RecordDecoder _decoder = new(new InputOptions());
    private RawItem[] _items = [];

    [GlobalSetup(Target = nameof(OpenAi))]
    public void SetupOpenAi() => Load(CorpusKind.OpenAi);

    [GlobalSetup(Target = nameof(ShareGpt))]
    public void SetupShareGpt() => Load(CorpusKind.ShareGpt);

    [GlobalSetup(Target = nameof(Alpaca))]
    public void SetupAlpaca() => Load(CorpusKind.Alpaca);

    [Benchmark]
    [Throughput(CorpusKind.OpenAi)]
    public int OpenAi() => DecodeAll();

    [Benchmark]
    [Throughput(CorpusKind.ShareGpt)]
    public int ShareGpt() => DecodeAll();

    [Benchmark]
    [Throughput(CorpusKind.Alpaca)]
    public int Alpaca() => DecodeAll();

    private void Load(CorpusKind kind)
    {
        _items = [.. Corpora.Lines(kind).Items];
        if (DecodeAll() != _items.Length)
        {
            throw new InvalidOperationException($"{kind}: not every line decodes");
        }

        Console.WriteLine($"// {kind}: {_items.Length} records, {Corpora.BytesOf(kind)} bytes");
    }

    private int DecodeAll()
    {
        var items = _items;
        var kept = 0;
        for (var i = 0; i < items.Length; i++)
        {
            if (_decoder.Decode(items[i], i).IsKept)
            {
                kept++;
            }
        }

        return kept;
    }
}
