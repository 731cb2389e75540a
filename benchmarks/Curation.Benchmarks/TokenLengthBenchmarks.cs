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
/// Token counting over the decoded OpenAI corpus, single-threaded: the library tokenizer alone on each record's
/// turns joined by newlines, the chat-template counter (render + count per turn), and the whole <c>token-length</c>
/// stage with a max_tokens limit. cl100k_base with the ChatML template, as the sample pipeline uses.
/// </summary>
[Config(typeof(ThroughputConfig))]
public class TokenLengthBenchmarks
{
    private readonly TextTokenizer _tokenizer = TokenizerCatalog.Load("cl100k_base", ".");
    private ChatRecord[] _records = [];
    private string[] _texts = [];
    private ChatTokenCounter _counter = null!;
    private LengthFilterStage _stage = null!;

    [GlobalSetup]
    public void Setup()
    {
        _records = Corpora.Records(CorpusKind.OpenAi);
        _texts = [.. _records.Select(record => string.Join('\n', record.Messages.Select(message => message.Content)))];
        _counter = new ChatTokenCounter(_tokenizer, ChatTemplateCatalog.ChatMl);
        _stage = new LengthFilterStage(new LengthFilterOptions { Tokenizer = "cl100k_base", MaxTokens = 2048 }, _counter, "token-length");
    }

    [Benchmark]
    [Throughput(CorpusKind.OpenAi)]
    public long TokenizerCount()
    {
        var total = 0L;
        foreach (var text in _texts)
        {
            total += _tokenizer.CountTokens(text);
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
}
