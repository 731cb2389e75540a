using BenchmarkDotNet.Attributes;
using Curation.Core.Records;
using Curation.Dedup.Exact;

namespace Curation.Benchmarks;

/// <summary>
/// What <c>exact-dedup</c> holds per distinct record, and what adding and looking up costs: the compact table of
/// 128-bit hashes with labels on disk (the stage's structure) against a dictionary from hash to id and source (what
/// the stage held before). The setup prints the memory each retains after adding a million distinct records, ids
/// included (<c>GC.GetTotalMemory(true)</c> before and after, the structure alive).
/// </summary>
[MemoryDiagnoser]
public class ExactDedupMemoryBenchmarks
{
    private const string File = ".bench/chat-1M.jsonl";

    private UInt128[] _hashes = [];

    [Params(1_000_000)]
    public int Records { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(14);
        // Every bit random, as content hashes are (NextInt64 alone never sets the top bit).
        _hashes = [.. Enumerable.Range(0, Records).Select(_ => new UInt128(RandomBits(random), RandomBits(random)))];
        var dictionary = Retained(() =>
        {
            var map = new Dictionary<UInt128, (string Id, SourceRef Source)>();
            AddToDictionary(map);
            return map;
        });
        var table = Retained(() =>
        {
            var compact = new FirstOccurrenceTable();
            AddToTable(compact);
            return compact;
        });
        Console.WriteLine($"// retained per distinct record ({Records:N0}): dictionary of id and source {dictionary / Records:0.0} bytes, compact table {table / Records:0.0} bytes");
    }

    [Benchmark(Baseline = true)]
    public int Dictionary()
    {
        var map = new Dictionary<UInt128, (string Id, SourceRef Source)>();
        AddToDictionary(map);
        return Lookups(hash => map.TryGetValue(hash, out var kept) && kept.Id.Length > 0);
    }

    [Benchmark]
    public int CompactTable()
    {
        using var table = new FirstOccurrenceTable();
        AddToTable(table);
        return Lookups(hash => table.TryGetFirst(hash, out var label) && label.Length > 0);
    }

    private static double Retained(Func<object> build)
    {
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var built = build();
        var after = GC.GetTotalMemory(forceFullCollection: true);
        GC.KeepAlive(built);
        (built as IDisposable)?.Dispose();
        return after - before;
    }

    private static string Id(int i) => $"chat-{i:D8}";

    private static ulong RandomBits(Random random)
    {
        Span<byte> bytes = stackalloc byte[sizeof(ulong)];
        random.NextBytes(bytes);
        return BitConverter.ToUInt64(bytes);
    }

    private void AddToDictionary(Dictionary<UInt128, (string Id, SourceRef Source)> map)
    {
        for (var i = 0; i < _hashes.Length; i++)
        {
            map.Add(_hashes[i], (Id(i), new SourceRef(File, i + 1, SourceUnit.Line)));
        }
    }

    private void AddToTable(FirstOccurrenceTable table)
    {
        for (var i = 0; i < _hashes.Length; i++)
        {
            table.Add(_hashes[i], $"{Id(i)} ({new SourceRef(File, i + 1, SourceUnit.Line)})");
        }
    }

    // One duplicate in 25 is looked up again, as in a generated corpus.
    private int Lookups(Func<UInt128, bool> found)
    {
        var hits = 0;
        for (var i = 0; i < _hashes.Length; i += 25)
        {
            hits += found(_hashes[i]) ? 1 : 0;
        }

        return hits;
    }
}
