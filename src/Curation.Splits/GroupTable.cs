using System.Buffers;
using System.IO.Hashing;
using System.Text;
using System.Text.Json;
using Curation.Core.Records;

namespace Curation.Splits;

/// <summary>
/// Every record's group, in input order, and every group's seeded 128-bit hash, first stratum and size. In memory
/// per record: one int; per group: its hash, stratum and size; per stratum: its name.
/// </summary>
internal sealed class GroupTable
{
    private const byte FieldKey = (byte)'m';
    private const byte IdKey = (byte)'i';

    private readonly Dictionary<UInt128, int> _groupOf = [];
    private readonly List<UInt128> _hashes = [];
    private readonly List<int> _groupStrata = [];
    private readonly List<int> _sizes = [];
    private readonly List<int> _recordGroups = [];
    private readonly Dictionary<string, int> _stratumOf = new(StringComparer.Ordinal);
    private readonly List<string> _strata = [];
    private readonly HashSet<int> _acrossStrata = [];

    public int Records => _recordGroups.Count;

    public int Groups => _hashes.Count;

    public IReadOnlyList<string> Strata => _strata;

    /// <summary>Groups with records in more than one stratum: each is dealt with its first record's stratum.</summary>
    public int GroupsAcrossStrata => _acrossStrata.Count;

    /// <summary>Adds the next record in input order by its group's hash (<see cref="GroupHash"/>) and its stratum.</summary>
    public void Add(UInt128 hash, string stratumName)
    {
        ArgumentNullException.ThrowIfNull(stratumName);
        if (!_stratumOf.TryGetValue(stratumName, out var stratumIndex))
        {
            _stratumOf[stratumName] = stratumIndex = _strata.Count;
            _strata.Add(stratumName);
        }

        if (!_groupOf.TryGetValue(hash, out var group))
        {
            _groupOf[hash] = group = _hashes.Count;
            _hashes.Add(hash);
            _groupStrata.Add(stratumIndex);
            _sizes.Add(0);
        }
        else if (_groupStrata[group] != stratumIndex)
        {
            _acrossStrata.Add(group);
        }

        _sizes[group]++;
        _recordGroups.Add(group);
    }

    /// <summary>Deals each stratum's groups, in hash order, to the splits by <see cref="SplitAllocation"/>.</summary>
    public SplitAssignment Assign(SplitRatios ratios)
    {
        ArgumentNullException.ThrowIfNull(ratios);
        var groupSplits = new byte[Groups];
        var counts = new long[_strata.Count, ratios.Names.Count];
        var groupCounts = new long[ratios.Names.Count];
        var byStratum = Enumerable.Range(0, _strata.Count).Select(_ => new List<int>()).ToArray();
        for (var group = 0; group < Groups; group++)
        {
            byStratum[_groupStrata[group]].Add(group);
        }

        for (var s = 0; s < _strata.Count; s++)
        {
            var groups = byStratum[s];
            groups.Sort((a, b) => _hashes[a].CompareTo(_hashes[b]));
            var sizes = groups.ConvertAll(group => _sizes[group]);
            var splits = SplitAllocation.Assign(sizes, SplitAllocation.Targets(sizes.Sum(size => (long)size), ratios.Shares));
            for (var i = 0; i < groups.Count; i++)
            {
                groupSplits[groups[i]] = (byte)splits[i];
                counts[s, splits[i]] += sizes[i];
                groupCounts[splits[i]]++;
            }
        }

        var recordSplits = new byte[Records];
        for (var record = 0; record < Records; record++)
        {
            recordSplits[record] = groupSplits[_recordGroups[record]];
        }

        return new SplitAssignment(ratios.Names, [.. _strata], recordSplits, counts, groupCounts);
    }

    /// <summary>The seeded hash of a record's group: the <paramref name="groupField"/> metadata value, else its id.</summary>
    public static UInt128 GroupHash(ChatRecord record, string groupField, long seed)
    {
        ArgumentNullException.ThrowIfNull(record);
        var (kind, key) = record.Metadata.TryGetValue(groupField, out var value) && value.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined)
            ? (FieldKey, value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText())
            : (IdKey, record.Id);
        var length = Encoding.UTF8.GetMaxByteCount(key.Length) + 1;
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            buffer[0] = kind;
            var written = Encoding.UTF8.GetBytes(key, buffer.AsSpan(1));
            return XxHash128.HashToUInt128(buffer.AsSpan(0, written + 1), seed);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}

/// <summary>The split of every record in input order, and the records per stratum and split.</summary>
internal sealed record SplitAssignment(IReadOnlyList<string> Names, IReadOnlyList<string> Strata, byte[] RecordSplits, long[,] Counts, long[] GroupCounts)
{
    public long RecordsIn(int split) => Enumerable.Range(0, Strata.Count).Sum(stratum => Counts[stratum, split]);
}
