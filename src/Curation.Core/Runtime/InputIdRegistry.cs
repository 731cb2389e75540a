using System.IO.Hashing;
using System.Runtime.InteropServices;
using Curation.Core.Records;

namespace Curation.Core.Runtime;

/// <summary>
/// The ids records brought from their input, seen so far in input order. Review decisions and exports match records
/// by id, so a second record with an id already used is rejected (<see cref="DuplicateIdRule"/>) at read time,
/// naming where the id was first used. In memory: a 128-bit hash and a compact source per id (about 40 bytes).
/// </summary>
internal sealed class InputIdRegistry
{
    public const string DuplicateIdRule = "duplicate-id";

    private readonly Dictionary<UInt128, FirstUse> _first = [];
    private readonly List<string> _files = [];
    private readonly Dictionary<string, int> _fileIndex = new(StringComparer.Ordinal);
    private readonly HashSet<UInt128> _seeded = [];

    /// <summary>Replaces each kept record whose input id was seen before with a <see cref="DuplicateIdRule"/> reject, in place.</summary>
    public void RejectRepeats(Envelope[] batch, string stage)
    {
        for (var i = 0; i < batch.Length; i++)
        {
            if (batch[i].Record is not { HasInputId: true } record)
            {
                continue;
            }

            var key = XxHash128.HashToUInt128(MemoryMarshal.AsBytes(record.Id.AsSpan()));
            if (_first.TryGetValue(key, out var first))
            {
                var firstSource = new SourceRef(_files[first.File], first.Position, first.Unit);
                batch[i] = Envelope.Rejected(
                    batch[i].Sequence,
                    new Reject(stage, DuplicateIdRule, $"id '{record.Id}' is already used by the record at {firstSource}; ids must be unique in a run (review decisions match by id)", record.Source) { Record = record });
                continue;
            }

            _first.Add(key, new FirstUse(FileIndex(record.Source.File), record.Source.Position, record.Source.Unit));
        }
    }

    /// <summary>
    /// Registers an id first used before this run's input starts (by an earlier shard of a sharded run), by its key,
    /// so that its use here is rejected as in one process.
    /// </summary>
    public void Seed(UInt128 key, SourceRef first)
    {
        _first.TryAdd(key, new FirstUse(FileIndex(first.File), first.Position, first.Unit));
        _seeded.Add(key);
    }

    /// <summary>The ids first used in this run's own input (not seeded), by key, with where.</summary>
    public IEnumerable<(UInt128 Key, SourceRef First)> OwnFirstUses() =>
        _first.Where(pair => !_seeded.Contains(pair.Key)).Select(pair => (pair.Key, new SourceRef(_files[pair.Value.File], pair.Value.Position, pair.Value.Unit)));

    private int FileIndex(string file)
    {
        if (!_fileIndex.TryGetValue(file, out var index))
        {
            index = _files.Count;
            _files.Add(file);
            _fileIndex.Add(file, index);
        }

        return index;
    }

    private readonly record struct FirstUse(int File, long Position, SourceUnit Unit);
}
