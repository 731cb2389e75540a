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
/// The token-length stage's work per chat template over the decoded OpenAI corpus on one thread: counting each
/// record's turns joined by newlines (the peer: what counting the text alone costs), the chat-template counter, and
/// the whole stage with a max_tokens limit. Cases: cl100k_base and Qwen2.5's tokenizer.json with ChatML, and
/// Qwen2.5 and Qwen3 with their own Jinja templates (from ../shared/fixtures/tokenizers beside the repository).
/// <code>
/// dotnet run -c Release --project benchmarks/Curation.Benchmarks -- --filter '*ChatTemplateCountBenchmarks*' --job short
/// </code>
/// </summary>
[Config(typeof(ThroughputConfig))]
public class ChatTemplateCountBenchmarks
{
    private TextTokenizer _tokenizer = null!;
    private ChatRecord[] _records = [];
    private string[] _texts = [];
    private ChatTokenCounter _counter = null!;
    private LengthFilterStage _stage = null!;

    /// <summary>tokenizer/template: a named encoding or a fixture folder, and chatml or the folder's own template.</summary>
    [Params("cl100k_base/chatml", "qwen2.5/chatml", "qwen2.5/own", "qwen3/own")]
    public string Case { get; set; } = "cl100k_base/chatml";

    [GlobalSetup]
    public void Setup()
    {
        var (tokenizerName, templateName) = (Case.Split('/')[0], Case.Split('/')[1]);
        var nameOrFolder = TokenizerCatalog.Encodings.Contains(tokenizerName) ? tokenizerName : TokenLengthBenchmarks.SharedTokenizerFolder(tokenizerName);
        _tokenizer = TokenizerCatalog.Load(nameOrFolder, AppContext.BaseDirectory);
        ChatTemplate template = templateName == "own" ? ChatTemplateCatalog.OwnTemplate(nameOrFolder) : ChatTemplateCatalog.ByName(templateName);
        _records = Corpora.Records(CorpusKind.OpenAi);
        _texts = [.. _records.Select(record => string.Join('\n', record.Messages.Select(message => message.Content)))];
        _counter = new ChatTokenCounter(_tokenizer, template);
        _stage = new LengthFilterStage(new LengthFilterOptions { Tokenizer = nameOrFolder, MaxTokens = 2048 }, _counter, "token-length");
    }

    [Benchmark]
    [Throughput(CorpusKind.OpenAi)]
    public long CountJoined()
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
