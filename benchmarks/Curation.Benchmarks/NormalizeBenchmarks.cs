using System.Text;
using BenchmarkDotNet.Attributes;
using Curation.Benchmarks.Corpus;
using Curation.Benchmarks.Reporting;
using Curation.Core.Conversations;
using Curation.Core.Records;
using Curation.Normalization;

namespace Curation.Benchmarks;

/// <summary>
/// <see cref="NormalizeStage"/> (default options) over decoded OpenAI records: clean ASCII (nothing to change), as
/// generated (clean, a quarter of the records with NFC non-ASCII text), and the ASCII records with every turn dirtied
/// (CRLF, zero-width spaces and soft hyphens, BOMs, NFD accents, trailing blanks). <see cref="ValidateStage"/>
/// (default options) over the normalised records as generated.
/// </summary>
[Config(typeof(ThroughputConfig))]
public class NormalizeBenchmarks
{
    private readonly NormalizeStage _normalize = new(new NormalizeOptions());
    private readonly ValidateStage _validate = new(new ConversationRules());
    private ChatRecord[] _records = [];

    [GlobalSetup(Target = nameof(NormalizeClean))]
    public void SetupClean() => Load(CorpusKind.AsciiOpenAi, normalized: false);

    [GlobalSetup(Target = nameof(NormalizeGenerated))]
    public void SetupGenerated() => Load(CorpusKind.OpenAi, normalized: false);

    [GlobalSetup(Target = nameof(NormalizeDirty))]
    public void SetupDirty() => Load(CorpusKind.DirtyOpenAi, normalized: false);

    [GlobalSetup(Target = nameof(Validate))]
    public void SetupValidate() => Load(CorpusKind.OpenAi, normalized: true);

    [Benchmark]
    [Throughput(CorpusKind.AsciiOpenAi)]
    public int NormalizeClean() => Normalize();

    [Benchmark]
    [Throughput(CorpusKind.OpenAi)]
    public int NormalizeGenerated() => Normalize();

    [Benchmark]
    [Throughput(CorpusKind.DirtyOpenAi)]
    public int NormalizeDirty() => Normalize();

    [Benchmark]
    [Throughput(CorpusKind.OpenAi)]
    public int Validate()
    {
        var kept = 0;
        foreach (var record in _records)
        {
            if (_validate.Apply(record).IsKept)
            {
                kept++;
            }
        }

        return kept;
    }

    /// <summary>Returns how many records came back changed.</summary>
    private int Normalize()
    {
        var changed = 0;
        foreach (var record in _records)
        {
            if (!ReferenceEquals(_normalize.Apply(record).Record, record))
            {
                changed++;
            }
        }

        return changed;
    }

    private void Load(CorpusKind kind, bool normalized)
    {
        _records = Corpora.Records(kind);
        var ascii = _records.Count(record => record.Messages.All(message => Ascii.IsValid(message.Content)));
        var changed = Normalize();
        if (normalized)
        {
            _records = [.. _records.Select(record => _normalize.Apply(record).Record
                ?? throw new InvalidOperationException($"{kind}: normalize dropped {record.Source}"))];
            var kept = Validate();
            if (kept != _records.Length)
            {
                throw new InvalidOperationException($"{kind}: validate dropped {_records.Length - kept} records");
            }
        }

        Console.WriteLine($"// {kind}: {_records.Length} records ({ascii} all ASCII, {changed} changed by normalize), {Corpora.BytesOf(kind)} bytes");
    }
}
