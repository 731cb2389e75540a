using Curation.Dedup.MinHash;

namespace Curation.Dedup.Tests.MinHash;

public class BandEntrySorterTests
{
    public static TheoryData<int> Counts() => [0, 1, 2, 63, 64, 65, 1000, 65_536, 70_000, 200_003];

    [Theory]
    [MemberData(nameof(Counts))]
    public void HashKeys_WithBuckets_AreOrderedByKeyThenDocument(int count)
    {
        var random = new Random(count);

        // Band keys as hashes, a fifth of the documents sharing a key with an earlier one (a bucket), plus one large
        // bucket, as a template filled in many times makes.
        var entries = new List<(ulong Key, int Document)>();
        for (var document = 0; document < count; document++)
        {
            var key = document > 0 && random.Next(5) == 0 ? entries[random.Next(entries.Count)].Key
                : document % 97 == 3 ? 0xDEADBEEFCAFEF00DUL
                : (ulong)random.NextInt64(long.MinValue, long.MaxValue);
            entries.Add((key, document * 3));
        }

        AssertSorted(entries);
    }

    [Theory]
    [MemberData(nameof(Counts))]
    public void KeysThatShareTheirTopBits_AreOrderedByKeyThenDocument_AsWell(int count)
    {
        // Small integers all fall in the first group: the insertion sort gives up and a comparison sort takes over.
        var random = new Random(count + 1);
        var entries = Enumerable.Range(0, count).Select(document => ((ulong)random.Next(count / 4 + 1), document)).ToList();

        AssertSorted(entries);
    }

    [Fact]
    public void DocumentsAddedOutOfOrder_AreOrderedWithinAKey()
    {
        // Spread keys, each three times with documents descending; and keys that share their top bits.
        var random = new Random(3);
        var spread = Enumerable.Range(0, 400).Select(_ => (ulong)random.NextInt64(long.MinValue, long.MaxValue)).ToArray();
        List<(ulong Key, int Document)> entries = [.. Enumerable.Range(0, 1200).Select(i => (spread[i % spread.Length], 5000 - i))];
        AssertSorted(entries);

        entries = [.. Enumerable.Range(0, 500).Select(i => (ulong.MaxValue - (ulong)(i % 7), 1000 - i))];
        AssertSorted(entries);
    }

    [Fact]
    public void DestinationsTooShort_OrListsOfDifferentLengths_AreRefused()
    {
        var keys = new ChunkedList<ulong>();
        var documents = new ChunkedList<int>();
        keys.Add(1);
        documents.Add(1);

        Assert.Throws<ArgumentException>(() => BandEntrySorter.Sort(keys, documents, [], new int[1]));
        documents.Add(2);
        Assert.Throws<ArgumentException>(() => BandEntrySorter.Sort(keys, documents, new ulong[2], new int[2]));
    }

    private static void AssertSorted(List<(ulong Key, int Document)> entries)
    {
        var keys = new ChunkedList<ulong>();
        var documents = new ChunkedList<int>();
        foreach (var (key, document) in entries)
        {
            keys.Add(key);
            documents.Add(document);
        }

        var sortedKeys = new ulong[entries.Count + 3];
        var sortedDocuments = new int[entries.Count + 3];
        BandEntrySorter.Sort(keys, documents, sortedKeys, sortedDocuments);

        var expected = entries.OrderBy(entry => entry.Key).ThenBy(entry => entry.Document).ToArray();
        Assert.Equal(expected.Select(entry => entry.Key), sortedKeys[..entries.Count]);
        Assert.Equal(expected.Select(entry => entry.Document), sortedDocuments[..entries.Count]);
    }
}
