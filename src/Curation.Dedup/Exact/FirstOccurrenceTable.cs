using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;

namespace Curation.Dedup.Exact;

/// <summary>
/// The 128-bit hashes seen so far, each with a label for its first occurrence (the kept record's id and source).
/// In memory: an open-addressing table of 16-byte slots (the hash's low 64 bits and where its entry starts on disk),
/// kept between 57% and 85% full, so 19 to 28 bytes per distinct hash. The high 64 bits and the label go to a
/// temporary file and are read back only when the low bits match: for a duplicate, or (about once in 2^64 lookups
/// per stored hash) a different hash with the same low bits, told apart by the high bits.
/// </summary>
internal sealed class FirstOccurrenceTable : IDisposable
{
    private const int InitialCapacity = 1024;
    private const int HeaderBytes = sizeof(ulong) + sizeof(int);

    // One read brings the header and a label of this many chars; longer labels take a second read.
    private const int FirstReadChars = 120;

    private readonly ScratchLog _log = new("exact-dedup");
    private Slot[] _slots = new Slot[InitialCapacity];

    /// <summary>Distinct hashes added.</summary>
    public int Count { get; private set; }

    /// <summary>Bytes of the in-memory table.</summary>
    public long TableBytes => (long)_slots.Length * Marshal.SizeOf<Slot>();

    /// <summary>Bytes written to the temporary file.</summary>
    public long SpilledBytes => _log.Length;

    /// <summary>The label stored with <paramref name="hash"/>, if it was added.</summary>
    public bool TryGetFirst(UInt128 hash, [NotNullWhen(true)] out string? label)
    {
        var (low, high) = ((ulong)hash, (ulong)(hash >> 64));
        var slots = _slots;
        for (var i = Home(low, slots.Length); slots[i].Entry != 0; i = Next(i, slots.Length))
        {
            if (slots[i].Low == low && ReadEntry(slots[i].Entry - 1, high) is { } found)
            {
                label = found;
                return true;
            }
        }

        label = null;
        return false;
    }

    /// <summary>Adds <paramref name="hash"/>, which must not be in the table yet, with its first occurrence's label.</summary>
    public void Add(UInt128 hash, ReadOnlySpan<char> label)
    {
        if (Count + 1 > (long)_slots.Length * 85 / 100)
        {
            Grow();
        }

        var chars = MemoryMarshal.AsBytes(label);
        var rented = ArrayPool<byte>.Shared.Rent(HeaderBytes + chars.Length);
        try
        {
            BinaryPrimitives.WriteUInt64LittleEndian(rented, (ulong)(hash >> 64));
            BinaryPrimitives.WriteInt32LittleEndian(rented.AsSpan(sizeof(ulong)), label.Length);
            chars.CopyTo(rented.AsSpan(HeaderBytes));
            var offset = _log.Append(rented.AsSpan(0, HeaderBytes + chars.Length));
            Place(_slots, new Slot((ulong)hash, offset + 1));
            Count++;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    public void Dispose() => _log.Dispose();

    // Multiply-shift maps the hash onto any table size, so the table can grow by half rather than double. It reads the
    // top bits, so they are mixed first (Fibonacci hashing): hashes whose top bits vary little would otherwise all
    // start in one part of the table and probe through one long run.
    private static int Home(ulong low, int capacity) => (int)Math.BigMul(low * 0x9E3779B97F4A7C15UL, (ulong)capacity, out _);

    private static int Next(int i, int capacity) => i + 1 == capacity ? 0 : i + 1;

    private static void Place(Slot[] slots, Slot slot)
    {
        var i = Home(slot.Low, slots.Length);
        while (slots[i].Entry != 0)
        {
            i = Next(i, slots.Length);
        }

        slots[i] = slot;
    }

    private void Grow()
    {
        var grown = new Slot[checked(_slots.Length + (_slots.Length / 2))];
        foreach (var slot in _slots)
        {
            if (slot.Entry != 0)
            {
                Place(grown, slot);
            }
        }

        _slots = grown;
    }

    /// <summary>The label of the entry at <paramref name="offset"/> when its high bits are <paramref name="high"/>, else null.</summary>
    private string? ReadEntry(long offset, ulong high)
    {
        Span<byte> first = stackalloc byte[HeaderBytes + (FirstReadChars * sizeof(char))];
        first = first[..(int)Math.Min(first.Length, _log.Length - offset)];
        _log.Read(offset, first);
        if (BinaryPrimitives.ReadUInt64LittleEndian(first) != high)
        {
            return null;
        }

        var length = BinaryPrimitives.ReadInt32LittleEndian(first[sizeof(ulong)..]);
        var bytes = length * sizeof(char);
        if (HeaderBytes + bytes <= first.Length)
        {
            return new string(MemoryMarshal.Cast<byte, char>(first.Slice(HeaderBytes, bytes)));
        }

        return string.Create(length, (Log: _log, Offset: offset + HeaderBytes), static (chars, entry) =>
            entry.Log.Read(entry.Offset, MemoryMarshal.AsBytes(chars)));
    }

    [StructLayout(LayoutKind.Sequential)]
    private readonly record struct Slot(ulong Low, long Entry);
}
