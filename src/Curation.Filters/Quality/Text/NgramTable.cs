namespace Curation.Filters.Quality.Text;

/// <summary>
/// N-grams of one text keyed by a 64-bit hash of their words: how often each occurs, its length and where it first
/// occurs. An open-addressing table whose slots are stamped with a generation, so emptying it for the next text costs
/// nothing. One instance per thread, reused from text to text.
/// </summary>
internal sealed class NgramTable
{
    [ThreadStatic]
    private static NgramTable? t_forThread;

    private const int MinimumSize = 256;

    private ulong[] _keys = new ulong[MinimumSize];
    private int[] _stamps = new int[MinimumSize];
    private Entry[] _entries = new Entry[MinimumSize];
    private int _mask = MinimumSize - 1;
    private int _generation;

    /// <summary>This thread's instance, emptied, sized for <paramref name="capacity"/> n-grams.</summary>
    public static NgramTable Begin(int capacity)
    {
        var table = t_forThread ??= new NgramTable();
        table.Reset(capacity);
        return table;
    }

    /// <summary>The entry of <paramref name="key"/>; <paramref name="added"/> when this call created it (count 0).</summary>
    public ref Entry Find(ulong key, out bool added)
    {
        var slot = (int)(key ^ (key >> 32)) & _mask;
        while (_stamps[slot] == _generation)
        {
            if (_keys[slot] == key)
            {
                added = false;
                return ref _entries[slot];
            }

            slot = (slot + 1) & _mask;
        }

        _stamps[slot] = _generation;
        _keys[slot] = key;
        _entries[slot] = default;
        added = true;
        return ref _entries[slot];
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
            _entries = new Entry[size];
            _generation = 0;
        }

        _mask = size - 1;

        if (++_generation == int.MaxValue)
        {
            Array.Clear(_stamps);
            _generation = 1;
        }
    }

    public struct Entry
    {
        public int Count;
        public int Length;
        public int First;
    }
}
