using System.IO.Hashing;
using System.Runtime.InteropServices;
using Curation.Core.Records;

namespace Curation.Core.Runtime;

/// <summary>
/// The ids records brought from their input, seen so far in input order. Review decisions and exports match records
/// by id, so a second record with an id already used is rejected (<see cref="DuplicateIdRule"/>) at read time,
/// naming where the id was first used. In memory, per id: its 128-bit hash and where it was first used (32 bytes, in
/// chunks that never move), and a 4-byte slot of an open-addressing table kept at most three quarters full, so 37 to
/// 43 bytes in all and no large copy when the table grows (a dictionary took about 77 bytes per id, and twice that
/// while it resized). A slot holds the index of the first use in its low bits and, in the bits the index does not
/// need, the top bits of the hash: a probe passes over the slots of other ids without reading their first uses, which
/// lie far apart in memory (one cache miss each: over a million ids they were most of the read stage's serial time).
/// </summary>
internal sealed class InputIdRegistry
{
    public const string DuplicateIdRule = "duplicate-id";

    private const int ChunkBits = 16;
    private const int ChunkSize = 1 << ChunkBits;

    private readonly List<FirstUse[]> _uses = [];
    private readonly List<string> _files = [];
    private readonly Dictionary<string, int> _fileIndex = new(StringComparer.Ordinal);
    private readonly HashSet<UInt128> _seeded = [];

    private const int InitialSlotBits = 10;

    // (the hash's tag << _slotBits) | (1 + the index of the id's first use); 0 marks an empty slot. The table is kept at
    // most three quarters full, so 1 + an index is below its length, 2^_slotBits.
    private uint[] _slots = new uint[1 << InitialSlotBits];
    private int _slotBits = InitialSlotBits;
    private int _count;

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
            if (Find(key) is { } index)
            {
                var firstSource = SourceOf(in Use(index));
                batch[i] = Envelope.Rejected(
                    batch[i].Sequence,
                    new Reject(stage, DuplicateIdRule, $"id '{record.Id}' is already used by the record at {firstSource}; ids must be unique in a run (review decisions match by id)", record.Source) { Record = record });
                continue;
            }

            Add(key, record.Source);
        }
    }

    /// <summary>
    /// Registers an id first used before this run's input starts (by an earlier shard of a sharded run), by its key,
    /// so that its use here is rejected as in one process.
    /// </summary>
    public void Seed(UInt128 key, SourceRef first)
    {
        if (Find(key) is null)
        {
            Add(key, first);
        }

        _seeded.Add(key);
    }

    /// <summary>The ids first used in this run's own input (not seeded), by key, with where, in the order first used.</summary>
    public IEnumerable<(UInt128 Key, SourceRef First)> OwnFirstUses()
    {
        for (var index = 0; index < _count; index++)
        {
            var use = Use(index);
            var key = new UInt128(use.High, use.Low);
            if (!_seeded.Contains(key))
            {
                yield return (key, SourceOf(in use));
            }
        }
    }

    private int? Find(UInt128 key)
    {
        var (low, high) = ((ulong)key, (ulong)(key >> 64));
        var mask = _slots.Length - 1;
        var tag = Tag(high, _slotBits);
        var indexMask = (1u << _slotBits) - 1;
        for (var slot = (int)low & mask; _slots[slot] != 0; slot = (slot + 1) & mask)
        {
            var entry = _slots[slot];
            if (entry >> _slotBits != tag)
            {
                continue;
            }

            var index = (int)(entry & indexMask) - 1;
            ref readonly var use = ref Use(index);
            if (use.Low == low && use.High == high)
            {
                return index;
            }
        }

        return null;
    }

    private void Add(UInt128 key, SourceRef source)
    {
        if ((_count + 1) * 4L > _slots.Length * 3L)
        {
            Grow();
        }

        if ((_count & (ChunkSize - 1)) == 0)
        {
            _uses.Add(new FirstUse[ChunkSize]);
        }

        _uses[_count >> ChunkBits][_count & (ChunkSize - 1)] = new FirstUse((ulong)key, (ulong)(key >> 64), source.Position, FileIndex(source.File), source.Unit);
        Place(_slots, _slotBits, (ulong)key, (ulong)(key >> 64), _count);
        _count++;
    }

    private void Grow()
    {
        var bits = _slotBits + 1;
        var slots = new uint[1 << bits];
        for (var index = 0; index < _count; index++)
        {
            ref readonly var use = ref Use(index);
            Place(slots, bits, use.Low, use.High, index);
        }

        _slots = slots;
        _slotBits = bits;
    }

    private static void Place(uint[] slots, int bits, ulong low, ulong high, int index)
    {
        var mask = slots.Length - 1;
        var slot = (int)low & mask;
        while (slots[slot] != 0)
        {
            slot = (slot + 1) & mask;
        }

        slots[slot] = (Tag(high, bits) << bits) | (uint)(index + 1);
    }

    /// <summary>The top bits of the hash's high half that fit beside a <paramref name="bits"/>-bit index.</summary>
    private static uint Tag(ulong high, int bits) => (uint)(high >> (32 + bits));

    private ref readonly FirstUse Use(int index) => ref _uses[index >> ChunkBits][index & (ChunkSize - 1)];

    private SourceRef SourceOf(in FirstUse use) => new(_files[use.File], use.Position, use.Unit);

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

    private readonly record struct FirstUse(ulong Low, ulong High, long Position, int File, SourceUnit Unit);
}
