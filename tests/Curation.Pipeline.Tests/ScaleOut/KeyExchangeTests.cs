using Curation.Core;
using Curation.Pipeline.ScaleOut.Boundary;
using Curation.TestKit;

namespace Curation.Pipeline.Tests.ScaleOut;

/// <summary>
/// The key exchange where shards meet at an exact-dedup boundary, against a single pass over every key in input
/// order (what one process does): the same duplicates, each naming the same first occurrence, whatever the
/// number of partitions.
/// </summary>
public sealed class KeyExchangeTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(16)]
    public void Duplicates_AreThoseOfOnePassInInputOrder_WhateverThePartitions(int partitions)
    {
        using var temp = new TempFolder();
        var shards = Shards(count: 5, keysPerShard: 2000, distinctKeys: 1500, seed: 11);
        var exchange = new KeyExchange(temp.File("exact-dedup"), partitions, shards.Count);

        for (var shard = 0; shard < shards.Count; shard++)
        {
            exchange.WriteKeys(shard, shards[shard]);
        }

        var counts = Enumerable.Range(0, partitions).Select(exchange.Resolve).ToList();

        var expected = OnePass(shards);
        for (var shard = 0; shard < shards.Count; shard++)
        {
            Assert.Equal(expected[shard], exchange.DuplicatesOf(shard));
        }

        Assert.Equal(shards.Sum(keys => keys.Count), counts.Sum(c => c.Keys));
        Assert.Equal(expected.Sum(duplicates => duplicates.Count), counts.Sum(c => c.Duplicates));
        Assert.Equal(shards.SelectMany(keys => keys).Select(key => key.Hash).Distinct().Count(), counts.Sum(c => c.Distinct));
        Assert.True(expected.Sum(duplicates => duplicates.Count) > 1000, "the data has duplicates within and across shards");
    }

    [Fact]
    public void AKeyFirstSeenInALaterShard_IsNotADuplicateThere_AndEarlierShardsWin()
    {
        using var temp = new TempFolder();
        var exchange = new KeyExchange(temp.File("x"), 2, 3);
        UInt128 a = 7, b = new(5, 9);
        exchange.WriteKeys(0, [new(b, 10, "b0 (f:1)")]);
        exchange.WriteKeys(1, [new(a, 3, "a1 (f:4)"), new(b, 4, "b1 (f:5)"), new(a, 8, "a1' (f:9)")]);
        exchange.WriteKeys(2, [new(a, 1, "a2 (g:1)")]);

        exchange.Resolve(0);
        exchange.Resolve(1);

        Assert.Empty(exchange.DuplicatesOf(0));
        Assert.Equal([new Duplicate(4, "b0 (f:1)"), new Duplicate(8, "a1 (f:4)")], exchange.DuplicatesOf(1));
        Assert.Equal([new Duplicate(1, "a1 (f:4)")], exchange.DuplicatesOf(2));
    }

    [Fact]
    public void MissingKeysOrUnresolvedPartition_IsRefusedNamingWhat()
    {
        using var temp = new TempFolder();
        var exchange = new KeyExchange(temp.File("x"), 2, 2);
        exchange.WriteKeys(0, [new(1, 0, "r (f:1)")]);

        var missingKeys = Assert.Throws<CurationException>(() => exchange.Resolve(0));
        var unresolved = Assert.Throws<CurationException>(() => exchange.DuplicatesOf(0));
        var outOfOrder = Assert.Throws<ArgumentException>(() => exchange.WriteKeys(1, [new(1, 5, "a"), new(2, 5, "b")]));

        Assert.EndsWith("keys-00001.bin: missing: task 1 has not completed its keys for partition 0", missingKeys.Message, StringComparison.Ordinal);
        Assert.EndsWith("p-00000/resolved: missing: partition 0 has not been resolved", unresolved.Message, StringComparison.Ordinal);
        Assert.StartsWith("keys must come in input order", outOfOrder.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void KeysFileCutShort_IsRefused()
    {
        using var temp = new TempFolder();
        var exchange = new KeyExchange(temp.File("x"), 1, 1);
        exchange.WriteKeys(0, [new(1, 0, "first"), new(1, 1, "second")]);
        var path = exchange.KeysFile(0, 0);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^3]);

        var error = Assert.Throws<CurationException>(() => exchange.Resolve(0));

        Assert.Contains("cut short", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Shards of keys in input order: sequences rise within each shard, hashes drawn from a small pool so that many repeat.</summary>
    private static List<List<KeyOccurrence>> Shards(int count, int keysPerShard, int distinctKeys, int seed)
    {
        var random = new Random(seed);
        var pool = Enumerable.Range(0, distinctKeys).Select(_ => new UInt128((ulong)random.NextInt64(), (ulong)random.NextInt64())).ToArray();
        return Enumerable.Range(0, count).Select(shard =>
        {
            var sequence = 0L;
            return Enumerable.Range(0, keysPerShard).Select(i =>
            {
                sequence += 1 + random.Next(3);
                return new KeyOccurrence(pool[random.Next(pool.Length)], sequence, $"id-{shard}-{i} (file-{shard}.jsonl:{sequence})");
            }).ToList();
        }).ToList();
    }

    /// <summary>One process: every key in shard then sequence order, the first occurrence of each hash kept.</summary>
    private static List<List<Duplicate>> OnePass(List<List<KeyOccurrence>> shards)
    {
        var first = new Dictionary<UInt128, string>();
        return shards.Select(keys => keys
            .Where(key => !first.TryAdd(key.Hash, key.Label))
            .Select(key => new Duplicate(key.Sequence, first[key.Hash]))
            .ToList()).ToList();
    }
}
