using Curation.Dedup.Exact;

namespace Curation.Dedup.Tests.Exact;

public sealed class FirstOccurrenceTableTests
{
    [Fact]
    public void FindsEveryAddedHash_WithItsLabel_AcrossGrowthAndFlushes()
    {
        using var table = new FirstOccurrenceTable();
        var random = new Random(7);
        var added = new Dictionary<UInt128, string>();
        for (var i = 0; i < 20_000; i++)
        {
            var hash = new UInt128((ulong)random.NextInt64(), (ulong)random.NextInt64());
            // Some labels are longer than one read brings back.
            var label = $"record-{i} (in.jsonl:{i + 1})" + (i % 97 == 0 ? new string('x', 300 + i % 50) : string.Empty);
            Assert.False(table.TryGetFirst(hash, out _));
            table.Add(hash, label);
            added.Add(hash, label);
        }

        Assert.Equal(20_000, table.Count);
        Assert.True(table.SpilledBytes > 1 << 16);
        foreach (var (hash, label) in added)
        {
            Assert.True(table.TryGetFirst(hash, out var found));
            Assert.Equal(label, found);
        }

        Assert.False(table.TryGetFirst(new UInt128(1, 2), out _));
    }

    [Fact]
    public void TellsApartHashesThatShareTheirLowBits()
    {
        using var table = new FirstOccurrenceTable();
        table.Add(new UInt128(1, 42), "first");
        Assert.False(table.TryGetFirst(new UInt128(2, 42), out _));
        table.Add(new UInt128(2, 42), "second");

        Assert.True(table.TryGetFirst(new UInt128(1, 42), out var first));
        Assert.True(table.TryGetFirst(new UInt128(2, 42), out var second));
        Assert.Equal(("first", "second"), (first, second));
        Assert.False(table.TryGetFirst(new UInt128(3, 42), out _));
    }

    [Fact]
    public void KeepsLabelsExactly_LoneSurrogatesIncluded()
    {
        using var table = new FirstOccurrenceTable();
        const string label = "id-\ud800-é (data.jsonl:3)";
        table.Add(UInt128.MaxValue, label);

        Assert.True(table.TryGetFirst(UInt128.MaxValue, out var found));
        Assert.Equal(label, found);
    }

    [Fact]
    public void TableStaysWithinTwentyEightBytesPerHash()
    {
        using var table = new FirstOccurrenceTable();
        for (var i = 0; i < 100_000; i++)
        {
            table.Add(new UInt128((ulong)i, (ulong)i * 0x9E3779B97F4A7C15UL), "x");
            Assert.InRange(table.TableBytes / (double)table.Count, 0, Math.Max(28.3, 16.0 * 1024 / table.Count));
        }
    }
}
