using Curation.Core;
using Curation.Core.Records;
using Curation.Pipeline.ScaleOut;
using Curation.TestKit;

namespace Curation.Pipeline.Tests.ScaleOut;

/// <summary>
/// Ids reused across shards, found by merging the shards' sorted id files, against one pass over the shards in order
/// with every id seen so far in memory (what one process's registry does): the same shards reuse the same ids, each
/// naming the earliest shard's first use.
/// </summary>
public sealed class IdConflictsTests
{
    [Theory]
    [InlineData(1, 3)]
    [InlineData(4, 5)]
    [InlineData(9, 17)]
    public void ReusedIds_AreThoseOfOnePassInShardOrder(int shards, int seed)
    {
        using var temp = new TempFolder();
        var random = new Random(seed);
        var uses = Enumerable.Range(0, shards)
            .Select(shard => Enumerable.Range(0, 3000).Select(_ => (UInt128)(ulong)random.Next(8000)).Distinct()
                .Select(key => (Key: key, First: new SourceRef($"in-{shard}.jsonl", random.Next(1, 100_000), SourceUnit.Line))).ToList())
            .ToList();
        var paths = uses.Select((ids, shard) => temp.File($"ids-{shard}.bin")).ToList();
        for (var shard = 0; shard < shards; shard++)
        {
            IdsFile.Write(paths[shard], uses[shard]);
        }

        var found = IdConflicts.ReusedIds(paths);

        var expected = OnePass(uses);
        Assert.Equal(expected.Keys, found.Keys);
        foreach (var (shard, reused) in expected)
        {
            Assert.Equal(reused.OrderBy(id => id.Key), found[shard]);
        }

        if (shards > 1)
        {
            Assert.True(expected.Values.Sum(reused => reused.Count) > 1000, "shards share many ids");
        }
    }

    [Fact]
    public void ReusedIds_NameTheEarliestShardsUse_WhenThreeShardsShareAnId()
    {
        using var temp = new TempFolder();
        var paths = new[] { temp.File("a.bin"), temp.File("b.bin"), temp.File("c.bin"), temp.File("missing.bin") };
        IdsFile.Write(paths[0], [(5, new SourceRef("a.jsonl", 9, SourceUnit.Line))]);
        IdsFile.Write(paths[1], [(7, new SourceRef("b.csv", 2, SourceUnit.Row)), (5, new SourceRef("b.csv", 4, SourceUnit.Row))]);
        IdsFile.Write(paths[2], [(7, new SourceRef("c.jsonl", 1, SourceUnit.Line)), (5, new SourceRef("c.jsonl", 3, SourceUnit.Line))]);

        var found = IdConflicts.ReusedIds(paths);

        Assert.Equal([1, 2], found.Keys);
        Assert.Equal([((UInt128)5, new SourceRef("a.jsonl", 9, SourceUnit.Line))], found[1]);
        Assert.Equal([((UInt128)5, new SourceRef("a.jsonl", 9, SourceUnit.Line)), ((UInt128)7, new SourceRef("b.csv", 2, SourceUnit.Row))], found[2]);
    }

    [Fact]
    public void AnIdsFileOutOfOrder_IsRefusedInOneLine()
    {
        using var temp = new TempFolder();
        var path = temp.File("ids.bin");
        using (var writer = new BinaryWriter(File.Create(path)))
        {
            writer.Write(2);
            foreach (var key in new ulong[] { 9, 4 })
            {
                writer.Write(0UL);
                writer.Write(key);
                writer.Write("in.jsonl");
                writer.Write(1L);
                writer.Write((byte)SourceUnit.Line);
            }
        }

        var error = Assert.Throws<CurationException>(() => IdConflicts.ReusedIds([path]));
        Assert.Equal("ids.bin: ids out of order: remove it and rerun the task", Path.GetFileName(error.Message));
    }

    [Fact]
    public void AnIdsFileCutShort_IsRefusedInOneLine()
    {
        using var temp = new TempFolder();
        var path = temp.File("ids.bin");
        IdsFile.Write(path, [(1, new SourceRef("in.jsonl", 1, SourceUnit.Line)), (2, new SourceRef("in.jsonl", 2, SourceUnit.Line))]);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^5]);

        var error = Assert.Throws<CurationException>(() => IdConflicts.ReusedIds([path]));
        Assert.EndsWith("ids.bin: cut short: remove it and rerun the task", error.Message, StringComparison.Ordinal);
    }

    private static Dictionary<int, List<(UInt128 Key, SourceRef First)>> OnePass(List<List<(UInt128 Key, SourceRef First)>> uses)
    {
        var seen = new Dictionary<UInt128, SourceRef>();
        var conflicts = new Dictionary<int, List<(UInt128, SourceRef)>>();
        for (var shard = 0; shard < uses.Count; shard++)
        {
            var reused = uses[shard].Where(id => seen.ContainsKey(id.Key)).Select(id => (id.Key, seen[id.Key])).ToList();
            if (reused.Count > 0)
            {
                conflicts[shard] = reused;
            }

            foreach (var (key, first) in uses[shard])
            {
                seen.TryAdd(key, first);
            }
        }

        return conflicts;
    }
}
