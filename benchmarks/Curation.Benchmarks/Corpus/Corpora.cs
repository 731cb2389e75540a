using Curation.Core.Config;
using Curation.Core.Records;
using Curation.IO.Formats;

namespace Curation.Benchmarks.Corpus;

/// <summary>
/// The benchmark inputs, built on first use and cached for the process. They depend only on fixed seeds, so the
/// host process that reports throughput sees the same sizes as the benchmark processes that ran.
/// </summary>
internal static class Corpora
{
    public const int TargetBytes = 4_000_000;

    private const ulong Seed = 42;

    private static readonly Lazy<JsonlCorpus> OpenAiLines = new(() => Build(CorpusShape.OpenAi, asciiOnly: false, dirty: false));
    private static readonly Lazy<JsonlCorpus> LargeOpenAiLines = new(() => CorpusBuilder.Build(CorpusShape.OpenAi, asciiOnly: false, dirty: false, 8 * TargetBytes, Seed));
    private static readonly Lazy<JsonlCorpus> ShareGptLines = new(() => Build(CorpusShape.ShareGpt, asciiOnly: false, dirty: false));
    private static readonly Lazy<JsonlCorpus> AlpacaLines = new(() => Build(CorpusShape.Alpaca, asciiOnly: false, dirty: false));
    private static readonly Lazy<JsonlCorpus> AsciiOpenAiLines = new(() => Build(CorpusShape.OpenAi, asciiOnly: true, dirty: false));
    private static readonly Lazy<JsonlCorpus> DirtyOpenAiLines = new(() => Build(CorpusShape.OpenAi, asciiOnly: true, dirty: true));
    private static readonly Lazy<long> ChatFileBytes = new(() => ChatFile.Write());

    public static JsonlCorpus Lines(CorpusKind kind) => kind switch
    {
        CorpusKind.OpenAi => OpenAiLines.Value,
        CorpusKind.ShareGpt => ShareGptLines.Value,
        CorpusKind.Alpaca => AlpacaLines.Value,
        CorpusKind.AsciiOpenAi => AsciiOpenAiLines.Value,
        CorpusKind.DirtyOpenAi => DirtyOpenAiLines.Value,
        CorpusKind.LargeOpenAi => LargeOpenAiLines.Value,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not an in-memory corpus"),
    };

    /// <summary>Input bytes of one run over <paramref name="kind"/>: the JSONL size, uncompressed.</summary>
    public static long BytesOf(CorpusKind kind) => kind == CorpusKind.ChatFile ? ChatFileBytes.Value : Lines(kind).Bytes;

    /// <summary>Records of one run over <paramref name="kind"/>; null for the file read as bytes.</summary>
    public static int? RecordsOf(CorpusKind kind) => kind == CorpusKind.ChatFile ? null : Lines(kind).Items.Count;

    /// <summary>The corpus as records, decoded as <c>curate run</c> would (format detected per record).</summary>
    /// <exception cref="InvalidOperationException">A line did not decode: the generator and the decoder disagree.</exception>
    public static ChatRecord[] Records(CorpusKind kind)
    {
        var items = Lines(kind).Items;
        var decoder = new RecordDecoder(new InputOptions());
        var records = new ChatRecord[items.Count];
        for (var i = 0; i < records.Length; i++)
        {
            var envelope = decoder.Decode(items[i], i);
            records[i] = envelope.Record
                ?? throw new InvalidOperationException($"{kind} corpus: {envelope.Reject?.Source} rejected: {envelope.Reject?.Detail}");
        }

        return records;
    }

    private static JsonlCorpus Build(CorpusShape shape, bool asciiOnly, bool dirty) =>
        CorpusBuilder.Build(shape, asciiOnly, dirty, TargetBytes, Seed);
}
