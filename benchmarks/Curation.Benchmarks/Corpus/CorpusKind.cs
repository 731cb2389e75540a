namespace Curation.Benchmarks.Corpus;

/// <summary>The inputs the benchmarks process; each benchmark's throughput is the size of its input over its mean time.</summary>
public enum CorpusKind
{
    /// <summary>About 4 MB of OpenAI-messages JSONL, as generated (about a quarter of the records hold some non-ASCII text).</summary>
    OpenAi,

    /// <summary>The same conversations as ShareGPT JSONL.</summary>
    ShareGpt,

    /// <summary>The same conversations as alpaca JSONL (those that are user/assistant pairs).</summary>
    Alpaca,

    /// <summary>About 4 MB of OpenAI-messages JSONL whose text is all ASCII.</summary>
    AsciiOpenAi,

    /// <summary>The ASCII OpenAI corpus with <see cref="Dirt"/> applied to every turn.</summary>
    DirtyOpenAi,

    /// <summary>
    /// About 32 MB of OpenAI-messages JSONL (about 21,000 records), for whole stages whose fixed costs (temporary
    /// files, clustering) a small input would overstate.
    /// </summary>
    LargeOpenAi,

    /// <summary>The 50 MB reader input (<see cref="ChatFile"/>), counted uncompressed.</summary>
    ChatFile,
}
