using Curation.Benchmarks.Corpus;

namespace Curation.Benchmarks.Reporting;

/// <summary>Names the input one invocation of the benchmark processes, for the Input and MB/s columns.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class ThroughputAttribute : Attribute
{
    public ThroughputAttribute(CorpusKind corpus)
    {
        Corpus = corpus;
    }

    public CorpusKind Corpus { get; }
}
