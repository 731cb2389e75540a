using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Curation.Tokenization.Tokenizers;

/// <summary>
/// Token counts of recent pre-tokens for one thread: an open-addressing table over a character arena, so that a
/// lookup hashes the characters where they lie in the text and allocates nothing, and the cache holds no objects for
/// the collector to trace. Bounded: emptied when it holds <see cref="Capacity"/> pre-tokens or its arena is full.
/// The table starts small and doubles as it fills, so a text's working vocabulary (often a few thousand pre-tokens)
/// stays in the core's own cache instead of being spread over a table sized for the largest vocabulary; each slot
/// holds hash, place and count side by side, so a probe reads one cache line besides the characters it compares.
/// Not thread-safe.
/// </summary>
internal sealed class PreTokenCountCache
{
    /// <summary>The longest pre-token kept; longer ones (runs of spaces or digits) seldom repeat.</summary>
    public const int LongestPiece = 64;

    private const int FirstSlots = 4096;

    // Seeded per process, so that text crafted to collide in one run does not in another.
    private static readonly ulong Seed = BinaryPrimitives.ReadUInt64LittleEndian(RandomNumberGenerator.GetBytes(8));

    private readonly int _mostSlots;
    private readonly char[] _arena;
    private Slot[] _slots;
    private int _mask;
    private int _arenaUsed;

    public PreTokenCountCache(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;

        // At most half the slots are used, so that probes stay short.
        _mostSlots = (int)Math.Min(1 << 30, System.Numerics.BitOperations.RoundUpToPowerOf2((uint)capacity * 2));
        _slots = new Slot[Math.Min(FirstSlots, _mostSlots)];
        _mask = _slots.Length - 1;
        _arena = new char[Math.Max(LongestPiece, Math.Min(capacity * 8L, Array.MaxLength / 2))];
    }

    public int Capacity { get; }

    public int Count { get; private set; }

    /// <summary>The count of <paramref name="piece"/>, if cached; otherwise false, and <paramref name="slot"/> is where <see cref="Add"/> puts it.</summary>
    public bool TryGet(ReadOnlySpan<char> piece, out int count, out int slot)
    {
        var hash = Hash(piece);
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

    /// <summary>Caches <paramref name="count"/> for <paramref name="piece"/> (at most <see cref="LongestPiece"/> characters) at the slot <see cref="TryGet"/> gave.</summary>
    public void Add(ReadOnlySpan<char> piece, int count, int slot)
    {
        if (Count >= Capacity || _arenaUsed + piece.Length > _arena.Length)
        {
            Clear();
            TryGet(piece, out _, out slot);
        }
        else if ((Count + 1) * 2 > _slots.Length && _slots.Length < _mostSlots)
        {
            Grow();
            TryGet(piece, out _, out slot);
        }

        piece.CopyTo(_arena.AsSpan(_arenaUsed));
        _slots[slot] = new Slot(Hash(piece), _arenaUsed, piece.Length | (count << 8));
        _arenaUsed += piece.Length;
        Count++;
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
        _arenaUsed = 0;
        Count = 0;
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
