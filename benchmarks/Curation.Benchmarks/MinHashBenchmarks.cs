using System.Text;
using BenchmarkDotNet.Attributes;
using Curation.Benchmarks.Corpus;
using Curation.Benchmarks.Reporting;
using Curation.Dedup.MinHash;

namespace Curation.Benchmarks;

/// <summary>
/// The MinHash half of near-duplicate detection over the decoded OpenAI corpus, one document per record (its turns
/// joined by newlines): simplify (default options), shingle (5-word n-grams), sign (128 permutations) and hash the
/// bands (9 × 13, the optimum at threshold 0.8). Each stage is also timed alone on the previous stage's output, and
/// signing once more on the scalar path to show what the vector path gains. MB/s is over the corpus's JSONL size,
/// as for the other benchmarks; the text alone is a little smaller (printed at setup).
/// </summary>
[Config(typeof(ThroughputConfig))]
public class MinHashBenchmarks
{
    private readonly TextSimplifier _simplifier = new(new SimplifyOptions());
    private readonly Shingler _shingler = new();
    private readonly MinHashSigner _signer = new();
    private readonly BandHasher _bands = new(LshParameters.Optimal());
    private string[] _documents = [];
    private string[] _simplified = [];
    private ulong[][] _shingles = [];
    private uint[] _signature = [];

    [GlobalSetup]
    public void Setup()
    {
        _documents = [.. Corpora.Records(CorpusKind.OpenAi).Select(record => string.Join('\n', record.Messages.Select(message => message.Content)))];
        _simplified = [.. _documents.Select(_simplifier.Simplify)];
        _shingles = [.. _simplified.Select(text => _shingler.Shingle(text))];
        _signature = new uint[_signer.Permutations];
        var textBytes = _documents.Sum(document => (long)Encoding.UTF8.GetByteCount(document));
        var shingles = _shingles.Sum(set => (long)set.Length);
        Console.WriteLine($"// {_documents.Length} documents, {textBytes} bytes of text ({Corpora.BytesOf(CorpusKind.OpenAi)} bytes of JSONL), "
            + $"{shingles} shingles, {MinHashSigner.FastestPath} signing path");
    }

    [Benchmark]
    [Throughput(CorpusKind.OpenAi)]
    public ulong SimplifyShingleSignBand()
    {
        var checksum = 0UL;
        var keys = new ulong[_bands.Parameters.Bands];
        foreach (var document in _documents)
        {
            _signer.Sign(_shingler.Shingle(_simplifier.Simplify(document)), _signature);
            _bands.Hash(_signature, keys);
            checksum ^= keys[0];
        }

        return checksum;
    }

    [Benchmark]
    [Throughput(CorpusKind.OpenAi)]
    public int Simplify()
    {
        var length = 0;
        foreach (var document in _documents)
        {
            length += _simplifier.Simplify(document).Length;
        }

        return length;
    }

    [Benchmark]
    [Throughput(CorpusKind.OpenAi)]
    public int Shingle()
    {
        var count = 0;
        foreach (var text in _simplified)
        {
            count += _shingler.Shingle(text).Length;
        }

        return count;
    }

    [Benchmark]
    [Throughput(CorpusKind.OpenAi)]
    public uint Sign() => SignAll(MinHashSigner.FastestPath);

    [Benchmark]
    [Throughput(CorpusKind.OpenAi)]
    public uint SignScalar() => SignAll(SigningPath.Scalar);

    private uint SignAll(SigningPath path)
    {
        var checksum = 0U;
        foreach (var shingles in _shingles)
        {
            _signer.Sign(shingles, _signature, path);
            checksum ^= _signature[0];
        }

        return checksum;
    }
}
