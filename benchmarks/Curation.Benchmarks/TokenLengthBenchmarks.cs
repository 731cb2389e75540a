using BenchmarkDotNet.Attributes;
using Curation.Benchmarks.Corpus;
using Curation.Benchmarks.Reporting;
using Curation.Core.Records;
using Curation.Filters.Length;
using Curation.Tokenization;
using Curation.Tokenization.ChatTemplates;
using Curation.Tokenization.Tokenizers;

namespace Curation.Benchmarks;

/// <summary>
/// Token counting over the decoded OpenAI corpus, for two named encodings and a tokenizer.json byte-level BPE (Qwen2.5,
/// from ../shared/fixtures/tokenizers beside the repository): counting each record's turns joined by newlines on one
/// thread and with the records split between two, encoding them to ids instead (what counting cost before it stopped
/// materialising ids), the chat-template counter (ChatML rendering + counting turn by turn) and the whole
/// <c>token-length</c> stage with a max_tokens limit.
/// </summary>
[Config(typeof(ThroughputConfig))]
public class TokenLengthBenchmarks : IDisposable
{
    private TextTokenizer _tokenizer = null!;
    private ChatRecord[] _records = [];
    private string[] _texts = [];
    private ChatTokenCounter _counter = null!;
    private LengthFilterStage _stage = null!;
    private int _halfOfTheCharacters;
    private DedicatedThreads _twoThreads = null!;

    [Params("cl100k_base", "o200k_base", "qwen2.5")]
    public string Tokenizer { get; set; } = "cl100k_base";

    [GlobalSetup]
    public void Setup()
    {
        var nameOrFolder = TokenizerCatalog.Encodings.Contains(Tokenizer) ? Tokenizer : SharedTokenizerFolder(Tokenizer);
        _tokenizer = TokenizerCatalog.Load(nameOrFolder, AppContext.BaseDirectory);
        _records = Corpora.Records(CorpusKind.OpenAi);
        _texts = [.. _records.Select(record => string.Join('\n', record.Messages.Select(message => message.Content)))];
        var total = _texts.Sum(text => (long)text.Length);
        long before = 0;
        while (_halfOfTheCharacters < _texts.Length && before + _texts[_halfOfTheCharacters].Length <= total / 2)
        {
            before += _texts[_halfOfTheCharacters++].Length;
        }

        _twoThreads = new DedicatedThreads(2);
        _counter = new ChatTokenCounter(_tokenizer, ChatTemplateCatalog.ChatMl);
        _stage = new LengthFilterStage(new LengthFilterOptions { Tokenizer = nameOrFolder, MaxTokens = 2048 }, _counter, "token-length");
    }

    [Benchmark]
    [Throughput(CorpusKind.OpenAi)]
    public long Count() => CountRange(0, _texts.Length);

    /// <summary>
    /// The same work on two threads, the records cut where half of the characters lie on each side: cut at half of
    /// the records, the longer half kept one thread busy after the other had finished.
    /// </summary>
    [Benchmark]
    [Throughput(CorpusKind.OpenAi)]
    public long CountTwoThreads()
    {
        var half = _halfOfTheCharacters;
        var totals = new long[2];
        Parallel.For(0, 2, new ParallelOptions { MaxDegreeOfParallelism = 2 }, part =>
            totals[part] = part == 0 ? CountRange(0, half) : CountRange(half, _texts.Length));
        return totals[0] + totals[1];
    }

    [Benchmark]
    [Throughput(CorpusKind.OpenAi)]
    public long CountTwoDedicatedThreads()
    {
        var half = _halfOfTheCharacters;
        var totals = new long[2];
        _twoThreads.Run(part => totals[part] = part == 0 ? CountRange(0, half) : CountRange(half, _texts.Length));
        return totals[0] + totals[1];
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _twoThreads.Dispose();
        GC.SuppressFinalize(this);
    }

    [Benchmark]
    [Throughput(CorpusKind.OpenAi)]
    public long EncodeToIds()
    {
        var total = 0L;
        foreach (var text in _texts)
        {
            total += _tokenizer.Encode(text).Count;
        }

        return total;
    }

    [Benchmark]
    [Throughput(CorpusKind.OpenAi)]
    public long TemplateCount()
    {
        var total = 0L;
        foreach (var record in _records)
        {
            total += _counter.Count(record.Messages).Total;
        }

        return total;
    }

    [Benchmark]
    [Throughput(CorpusKind.OpenAi)]
    public int Stage()
    {
        var kept = 0;
        foreach (var record in _records)
        {
            kept += _stage.Apply(record).IsKept ? 1 : 0;
        }

        return kept;
    }

    private long CountRange(int from, int to)
    {
        var total = 0L;
        for (var i = from; i < to; i++)
        {
            total += _tokenizer.CountTokens(_texts[i]);
        }

        return total;
    }

    /// <summary>../shared/fixtures/tokenizers/<paramref name="name"/> beside the repository root (the folder holding Curation.sln).</summary>
    internal static string SharedTokenizerFolder(string name)
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Curation.sln")))
        {
            directory = directory.Parent;
        }

        var folder = directory is null ? null : Path.GetFullPath(Path.Combine(directory.FullName, "..", "shared", "fixtures", "tokenizers", name));
        return folder is not null && Directory.Exists(folder)
            ? folder
            : throw new InvalidOperationException($"tokenizer fixture '{name}' not found under ../shared/fixtures/tokenizers beside the repository");
    }
}
