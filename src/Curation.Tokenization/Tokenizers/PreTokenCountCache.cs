using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Curation.Tokenization.Tokenizers;

/// <summary>
/// Token counts of recent pre-tokens for one thread: open-addressing tables that a lookup probes with the characters
/// where they lie in the text, allocating nothing and holding no objects for the collector to trace. Bounded: emptied
/// when it holds <see cref="Capacity"/> pre-tokens or its arena is full. Not thread-safe.
/// </summary>
/// <remarks>
/// Most pre-tokens are a short ASCII word with its leading space. Those of up to eight characters whose count fits in
/// four bits are kept whole in one 8-byte slot (seven bits a character, the length, the count), so a lookup reads one
/// slot and compares one number. The rest go to a table whose slots hold hash, place in a character arena and count
/// side by side. Both tables start small and double as they fill, so a text's working vocabulary (often a few
/// thousand pre-tokens) stays in the core's own cache instead of being spread over tables sized for the largest.
/// </remarks>
internal sealed class PreTokenCountCache
{
    /// <summary>The longest pre-token kept; longer ones (runs of spaces or digits) seldom repeat.</summary>
    public const int LongestPiece = 64;

    private const int FirstSlots = 4096;

    private const int LongestShortPiece = 8;
    private const int ShortCountShift = 60;
    private const ulong ShortKeyMask = (1UL << ShortCountShift) - 1;
    private const int MostShortCount = 15;

    // Seeded per process, so that text crafted to collide in one run does not in another.
    private static readonly ulong Seed = BinaryPrimitives.ReadUInt64LittleEndian(RandomNumberGenerator.GetBytes(8));

    private readonly int _mostSlots;
    private readonly char[] _arena;
    private Slot[] _slots;
    private int _mask;
    private int _slotsUsed;
    private ulong[] _shortSlots;
    private int _shortMask;
    private int _shortSlotsUsed;
    private int _arenaUsed;

    public PreTokenCountCache(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;

        // At most half the slots are used, so that probes stay short.
        _mostSlots = (int)Math.Min(1 << 30, System.Numerics.BitOperations.RoundUpToPowerOf2((uint)capacity * 2));
        _slots = new Slot[Math.Min(FirstSlots, _mostSlots)];
        _mask = _slots.Length - 1;
        _shortSlots = new ulong[Math.Min(FirstSlots, _mostSlots)];
        _shortMask = _shortSlots.Length - 1;
        _arena = new char[Math.Max(LongestPiece, Math.Min(capacity * 8L, Array.MaxLength / 2))];
    }

    public int Capacity { get; }

    public int Count => _slotsUsed + _shortSlotsUsed;

    /// <summary>The count of <paramref name="piece"/>, if cached; otherwise false, and <paramref name="slot"/> is where <see cref="Add"/> puts it.</summary>
    public bool TryGet(ReadOnlySpan<char> piece, out int count, out int slot)
    {
        if (TryPack(piece, out var key))
        {
            for (var at = ShortSlotOf(key); ; at = (at + 1) & _shortMask)
            {
                var stored = _shortSlots[at];
                if (stored == 0)
                {
                    break;
                }

                if ((stored & ShortKeyMask) == key)
                {
                    count = (int)(stored >> ShortCountShift);
                    slot = -1;
                    return true;
                }
            }
        }

        // A short piece whose count did not fit its slot is in the other table.
        return TryGetLong(piece, Hash(piece), out count, out slot);
    }

    /// <summary>Caches <paramref name="count"/> for <paramref name="piece"/> (at most <see cref="LongestPiece"/> characters), given the slot <see cref="TryGet"/> gave.</summary>
    public void Add(ReadOnlySpan<char> piece, int count, int slot)
    {
        // Emptying or growing the table moves where the piece goes: the slot TryGet gave is then found again.
        var slotMoved = false;
        if (Count >= Capacity || _arenaUsed + piece.Length > _arena.Length)
        {
            Clear();
            slotMoved = true;
        }

        if (TryPack(piece, out var key) && count is > 0 and <= MostShortCount)
        {
            AddShort(key | ((ulong)count << ShortCountShift));
            return;
        }

        var hash = Hash(piece);
        if ((_slotsUsed + 1) * 2 > _slots.Length && _slots.Length < _mostSlots)
        {
            Grow();
            slotMoved = true;
        }

        if (slotMoved)
        {
            TryGetLong(piece, hash, out _, out slot);
        }

        piece.CopyTo(_arena.AsSpan(_arenaUsed));
        _slots[slot] = new Slot(hash, _arenaUsed, piece.Length | (count << 8));
        _arenaUsed += piece.Length;
        _slotsUsed++;
    }

    /// <summary>
    /// A piece of one to eight ASCII characters as one number: seven bits a character, then the length from bit 56.
    /// Never 0, which marks an empty slot; bits 60 to 63 are left for the count. Four characters or more are read as
    /// the first four and the last four (overlapping when fewer than eight), fewer as the first, middle and last:
    /// with the length, either names the piece exactly.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryPack(ReadOnlySpan<char> piece, out ulong key)
    {
        key = 0;
        var length = piece.Length;
        ulong packed;
        if (length >= 4)
        {
            if (length > LongestShortPiece)
            {
                return false;
            }

            var bytes = MemoryMarshal.AsBytes(piece);
            var first = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
            var last = BinaryPrimitives.ReadUInt64LittleEndian(bytes[^sizeof(ulong)..]);
            if (((first | last) & 0xFF80_FF80_FF80_FF80UL) != 0)
            {
                return false;
            }

            packed = PackFour(first) | (PackFour(last) << 28);
        }
        else
        {
            if (length == 0)
            {
                return false;
            }

            var (a, b, c) = (piece[0], piece[length >> 1], piece[length - 1]);
            if ((a | b | c) >= 128)
            {
                return false;
            }

            packed = a | ((ulong)b << 7) | ((ulong)c << 14);
        }

        key = packed | ((ulong)length << (7 * LongestShortPiece));
        return true;
    }

    /// <summary>Four 7-bit characters in 16-bit lanes as 28 bits: the lanes' pairs first, then the two pairs.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong PackFour(ulong lanes)
    {
        var pairs = (lanes | (lanes >> 9)) & 0x0000_3FFF_0000_3FFFUL;
        return (pairs | (pairs >> 18)) & 0x0FFF_FFFFUL;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int ShortSlotOf(ulong key) => (int)Mix(key ^ Seed) & _shortMask;

    private void AddShort(ulong entry)
    {
        if ((_shortSlotsUsed + 1) * 2 > _shortSlots.Length && _shortSlots.Length < _mostSlots)
        {
            var old = _shortSlots;
            _shortSlots = new ulong[old.Length * 2];
            _shortMask = _shortSlots.Length - 1;
            foreach (var stored in old)
            {
                if (stored != 0)
                {
                    PlaceShort(stored);
                }
            }
        }

        PlaceShort(entry);
        _shortSlotsUsed++;
    }

    private void PlaceShort(ulong entry)
    {
        var at = ShortSlotOf(entry & ShortKeyMask);
        while (_shortSlots[at] != 0)
        {
            at = (at + 1) & _shortMask;
        }

        _shortSlots[at] = entry;
    }

    private bool TryGetLong(ReadOnlySpan<char> piece, ulong hash, out int count, out int slot)
    {
        slot = (int)hash & _mask;
        while (true)
        {
            ref readonly var stored = ref _slots[slot];
            if (stored.Hash == 0)
            {
                count = 0;
                return false;
            }

            if (stored.Hash == hash && (stored.LengthAndCount & 0xFF) == piece.Length && _arena.AsSpan(stored.Start, piece.Length).SequenceEqual(piece))
            {
                count = stored.LengthAndCount >>> 8;
                return true;
            }

            slot = (slot + 1) & _mask;
        }
    }

    private void Grow()
    {
        var old = _slots;
        _slots = new Slot[old.Length * 2];
        _mask = _slots.Length - 1;
        foreach (var entry in old)
        {
            if (entry.Hash != 0)
            {
                var slot = (int)entry.Hash & _mask;
                while (_slots[slot].Hash != 0)
                {
                    slot = (slot + 1) & _mask;
                }

                _slots[slot] = entry;
            }
        }
    }

    private void Clear()
    {
        Array.Clear(_slots);
        Array.Clear(_shortSlots);
        _arenaUsed = 0;
        _slotsUsed = 0;
        _shortSlotsUsed = 0;
    }

    /// <summary>A 64-bit hash of the characters, never 0 (which marks an empty slot).</summary>
    private static ulong Hash(ReadOnlySpan<char> piece)
    {
        var bytes = MemoryMarshal.AsBytes(piece);
        var hash = Seed ^ ((ulong)bytes.Length * 0x9E3779B97F4A7C15UL);
        while (bytes.Length >= 8)
        {
            hash = Mix(hash ^ BinaryPrimitives.ReadUInt64LittleEndian(bytes));
            bytes = bytes[8..];
        }

        if (bytes.Length > 0)
        {
            // 2, 4 or 6 bytes are left: read them as one little-endian number.
            var tail = bytes.Length >= 4 ? BinaryPrimitives.ReadUInt32LittleEndian(bytes) : 0UL;
            tail |= bytes.Length switch
            {
                2 => BinaryPrimitives.ReadUInt16LittleEndian(bytes),
                6 => (ulong)BinaryPrimitives.ReadUInt16LittleEndian(bytes[4..]) << 32,
                _ => 0UL,
            };
            hash = Mix(hash ^ tail);
        }

        return hash | 1;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Mix(ulong value)
    {
        value = (value ^ (value >> 30)) * 0xBF58476D1CE4E5B9UL;
        value = (value ^ (value >> 27)) * 0x94D049BB133111EBUL;
        return value ^ (value >> 31);
    }

    private readonly record struct Slot(ulong Hash, int Start, int LengthAndCount);
}
