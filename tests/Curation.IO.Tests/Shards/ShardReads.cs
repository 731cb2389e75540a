using System.Text;
using Curation.IO.Shards;

namespace Curation.IO.Tests.Shards;

/// <summary>What a shard's pieces read: each item's source and JSON, in read order.</summary>
internal static class ShardReads
{
    public static async Task<List<string>> ReadAsync(IReadOnlyList<FilePiece> pieces)
    {
        var source = new ShardRecordSource(pieces);
        var items = new List<string>();
        await foreach (var batch in source.ReadAsync(CancellationToken.None))
        {
            items.AddRange(batch.Select(item => $"{item.Source} {Encoding.UTF8.GetString(item.Utf8Json.Span)}"));
            source.Release(batch);
        }

        return items;
    }
}
