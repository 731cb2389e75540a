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
        var nameOrFolder = NameOrFolder(Tokenizer);
        _tokenizer = TokenizerCatalog.Load(nameOrFolder, AppContext.BaseDirectory);
        _records = Corpora.Records(CorpusKind.OpenAi);
        _texts = TurnTexts(_records);
        _halfOfTheCharacters = CharacterMidpoint(_texts);

        _twoThreads = new DedicatedThreads(2);
        _counter = new ChatTokenCounter(_tokenizer, ChatTemplateCatalog.ChatMl);
        _stage = new LengthFilterStage(new LengthFilterOptions { Tokenizer = nameOrFolder, MaxTokens = 2048 }, _counter, "token-length");
    }

    [Benchmark]
    [Throughput(CorpusKind.OpenAi)]
    public long Count() => CountRange(_tokenizer, _texts, 0, _texts.Length);

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
            totals[part] = part == 0 ? CountRange(_tokenizer, _texts, 0, half) : CountRange(_tokenizer, _texts, half, _texts.Length));
        return totals[0] + totals[1];
    }

    [Benchmark]
    [Throughput(CorpusKind.OpenAi)]
    public long CountTwoDedicatedThreads()
    {
        var half = _halfOfTheCharacters;
        var totals = new long[2];
        _twoThreads.Run(part => totals[part] = part == 0 ? CountRange(_tokenizer, _texts, 0, half) : CountRange(_tokenizer, _texts, half, _texts.Length));
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

    /// <summary>The tokens of <paramref name="texts"/>[<paramref name="from"/>..<paramref name="to"/>].</summary>
    internal static long CountRange(TextTokenizer tokenizer, string[] texts, int from, int to)
    {
        var total = 0L;
        for (var i = from; i < to; i++)
        {
            total += tokenizer.CountTokens(texts[i]);
        }

        return total;
    }

    /// <summary>Each record's turns joined by newlines: the texts counted.</summary>
    internal static string[] TurnTexts(ChatRecord[] records) =>
        [.. records.Select(record => string.Join('\n', record.Messages.Select(message => message.Content)))];

    /// <summary>Where the texts split into two runs of about half of the characters each.</summary>
    internal static int CharacterMidpoint(string[] texts)
    {
        var total = texts.Sum(text => (long)text.Length);
        var (index, before) = (0, 0L);
        while (index < texts.Length && before + texts[index].Length <= total / 2)
        {
            before += texts[index++].Length;
        }

        return index;
    }

    /// <summary>A named encoding as it is, or the folder of a tokenizer fixture.</summary>
    internal static string NameOrFolder(string tokenizer) =>
        TokenizerCatalog.Encodings.Contains(tokenizer) ? tokenizer : SharedTokenizerFolder(tokenizer);

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
