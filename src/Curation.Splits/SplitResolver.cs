using System.Globalization;

namespace Curation.Splits;

/// <summary>
/// One record's part in the split, all that assigning it needs: its group's seeded hash, its stratum, and whether the
/// split files' format can hold it (which depends on its turns alone, not on the split's name written into it).
/// </summary>
internal readonly record struct SplitKey(UInt128 Group, string Stratum, bool Representable);

/// <summary>What assigning every record found: each record's split in input order, the notes of the run, and how many records each split's file gets.</summary>
internal sealed record SplitResolution(byte[] RecordSplits, IReadOnlyList<string> Notes, IReadOnlyList<long> FileRecords);

/// <summary>
/// Assigns records to splits from their keys alone, given in input order: groups are numbered by first appearance,
/// dealt per stratum in hash order (<see cref="GroupTable.Assign"/>), and the notes say what one process says. The
/// split stage runs it over its own input; a sharded run over every shard's keys, shard by shard, in one step.
/// </summary>
internal sealed class SplitResolver(SplitOptions options, SplitRatios ratios, Stratum stratum, long seed)
{
    private readonly GroupTable _groups = new();
    private readonly List<int> _unrepresentable = [];

    public int Records => _groups.Records;

    public int Groups => _groups.Groups;

    public void Add(SplitKey key)
    {
        if (!key.Representable)
        {
            _unrepresentable.Add(_groups.Records);
        }

        _groups.Add(key.Group, key.Stratum);
    }

    public SplitResolution Resolve()
    {
        var assignment = _groups.Assign(ratios);
        var fileRecords = Enumerable.Range(0, assignment.Names.Count).Select(assignment.RecordsIn).ToArray();
        foreach (var record in _unrepresentable)
        {
            fileRecords[assignment.RecordSplits[record]]--;
        }

        return new SplitResolution(assignment.RecordSplits, [.. Notes(assignment)], fileRecords);
    }

    private IEnumerable<string> Notes(SplitAssignment assignment)
    {
        var splits = Enumerable.Range(0, assignment.Names.Count).ToList();
        yield return string.Create(
            CultureInfo.InvariantCulture,
            $"{_groups.Records} records in {_groups.Groups} groups (by '{options.Group}', else record id), seed {seed}, {stratum.Describe()}: {string.Join(", ", splits.Select(split => $"{assignment.Names[split]} {assignment.RecordsIn(split)} ({assignment.GroupCounts[split]} groups)"))}");
        if (stratum.Kind != StratumKind.None)
        {
            var order = Enumerable.Range(0, assignment.Strata.Count).OrderBy(s => assignment.Strata[s], StringComparer.Ordinal).ToList();
            foreach (var s in order.Take(SplitStage.StrataNoted))
            {
                var total = splits.Sum(split => assignment.Counts[s, split]);
                yield return string.Create(
                    CultureInfo.InvariantCulture,
                    $"stratum '{assignment.Strata[s]}': {total} records: {string.Join(", ", splits.Select(split => $"{assignment.Names[split]} {assignment.Counts[s, split]}"))}");
            }

            if (order.Count > SplitStage.StrataNoted)
            {
                yield return string.Create(CultureInfo.InvariantCulture, $"{order.Count - SplitStage.StrataNoted} more strata not listed ({order.Count} in all)");
            }
        }

        if (_groups.GroupsAcrossStrata > 0)
        {
            yield return string.Create(CultureInfo.InvariantCulture, $"{_groups.GroupsAcrossStrata} groups have records in more than one stratum: each went with its first record's stratum");
        }

        if (_unrepresentable.Count > 0)
        {
            yield return string.Create(CultureInfo.InvariantCulture, $"{_unrepresentable.Count} records left out of the split files: {options.Format.ToString().ToLowerInvariant()} cannot hold them");
        }
    }
}
