namespace Curation.Filters.Quality.Text;

/// <summary>
/// N-grams of one text keyed by 64 bits: each key gets a slot that holds how often it occurs and whether it has been
/// seen. An open-addressing table whose slots are stamped with a generation, so emptying it for the next text or
/// length costs nothing. One instance per thread, reused from text to text.
/// </summary>
internal sealed class NgramTable
{
    [ThreadStatic]
    private static NgramTable? t_forThread;

    private const int MinimumSize = 256;

    private const ulong Multiplier = 0x9E3779B97F4A7C15UL;

    private ulong[] _keys = new ulong[MinimumSize];
    private int[] _stamps = new int[MinimumSize];
    private int[] _counts = new int[MinimumSize];
    private int[] _seenStamps = new int[MinimumSize];
    private int _mask = MinimumSize - 1;
    private int _shift = 64 - int.Log2(MinimumSize);
    private int _generation;

    /// <summary>This thread's instance, emptied, sized for <paramref name="capacity"/> n-grams.</summary>
    public static NgramTable Begin(int capacity)
    {
        var table = t_forThread ??= new NgramTable();
        table.Reset(capacity);
        return table;
    }

    /// <summary>Counts one more occurrence of <paramref name="key"/>; returns its slot, its own until the table is begun again.</summary>
    public int Add(ulong key)
    {
        // Keys may be pairs of small slot numbers, so the top bits of a multiplicative hash spread them.
        var slot = (int)((key * Multiplier) >> _shift);
        while (_stamps[slot] == _generation)
        {
            if (_keys[slot] == key)
            {
                _counts[slot]++;
                return slot;
            }

            slot = (slot + 1) & _mask;
        }

        _stamps[slot] = _generation;
        _keys[slot] = key;
        _counts[slot] = 1;
        return slot;
    }

    /// <summary>How often the key of <paramref name="slot"/> was added.</summary>
    public int CountAt(int slot) => _counts[slot];

    /// <summary>Marks the key of <paramref name="slot"/> seen; whether it already was.</summary>
    public bool MarkSeen(int slot)
    {
        if (_seenStamps[slot] == _generation)
        {
            return true;
        }

        _seenStamps[slot] = _generation;
        return false;
    }

    // Only a prefix of the arrays sized for this text is used, so a small text after a large one stays in cache.
    private void Reset(int capacity)
    {
        var size = MinimumSize;
        while (size < capacity * 2)
        {
            size *= 2;
        }

        if (size > _keys.Length)
        {
            _keys = new ulong[size];
            _stamps = new int[size];
            _counts = new int[size];
            _seenStamps = new int[size];
            _generation = 0;
        }

        _mask = size - 1;
        _shift = 64 - int.Log2(size);

        if (++_generation == int.MaxValue)
        {
            Array.Clear(_stamps);
            _seenStamps.AsSpan().Clear();
            _generation = 1;
        }
    }
}
