using Curation.Core.Records;

namespace Curation.Benchmarks.Corpus;

/// <summary>
/// JSON lines held in memory the way the reader hands them out: every item a slice of one backing array, without
/// its line break.
/// </summary>
internal sealed class JsonlCorpus
{
    public JsonlCorpus(string file, byte[] bytes, IReadOnlyList<int> lineEnds)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        ArgumentNullException.ThrowIfNull(lineEnds);
        var items = new RawItem[lineEnds.Count];
        var start = 0;
        for (var i = 0; i < items.Length; i++)
        {
            var end = lineEnds[i];
            items[i] = new RawItem(bytes.AsMemory(start, end - start - 1), new SourceRef(file, i + 1, SourceUnit.Line));
            start = end;
        }

        Items = items;
        Bytes = bytes.Length;
    }

    /// <summary>One item per line.</summary>
    public IReadOnlyList<RawItem> Items { get; }

    /// <summary>Size of the corpus as a JSONL file, line breaks included.</summary>
    public long Bytes { get; }
}
