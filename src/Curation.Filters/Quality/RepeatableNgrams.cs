using Curation.Filters.Quality.Text;

namespace Curation.Filters.Quality;

/// <summary>
/// The n-grams of a text that can occur more than once, counted one length at a time from 2 words up. An n-gram can
/// occur twice only where both its first and its last n - 1 words occur twice, so each length looks up only the
/// starts whose two (n - 1)-grams repeated; the n-gram at any other start occurs once. An n-gram's key is the pair of
/// slots its two (n - 1)-grams had, so only 2-grams are hashed. The buffers belong to the calling thread and are reused.
/// </summary>
internal ref struct RepeatableNgrams
{
    [ThreadStatic]
    private static int[]? t_starts;

    [ThreadStatic]
    private static ulong[]? t_keys;

    [ThreadStatic]
    private static int[]? t_slots;

    private readonly WordHashes _words;
    private readonly Span<int> _starts;
    private readonly Span<ulong> _keys;
    private readonly Span<int> _slots;
    private NgramTable _table;
    private int _count;

    private RepeatableNgrams(WordHashes words)
    {
        var most = Math.Max(words.Count, 1024);
        if (t_starts is null || t_starts.Length < most)
        {
            t_starts = new int[most];
            t_keys = new ulong[most];
            t_slots = new int[most];
        }

        _words = words;
        _starts = t_starts;
        _keys = t_keys!;
        _slots = t_slots!;
        _table = CountPairs();
    }

    /// <summary>Words per n-gram of the length counted now.</summary>
    public int Length { get; private set; }

    /// <summary>The 2-grams of <paramref name="words"/>, counted.</summary>
    public static RepeatableNgrams Of(WordHashes words) => new(words);

    /// <summary>Counts the n-grams of <paramref name="length"/> words, starting again from 2 if that is shorter than now.</summary>
    public void MoveTo(int length)
    {
        if (length < Length)
        {
            _table = CountPairs();
        }

        while (Length < length)
        {
            KeepRepeatedNeighbours();
            _table = CountKeys();
            Length++;
        }
    }

    /// <summary>
    /// Characters of the most frequent n-gram (words joined by spaces) times its count, when it occurs more than once;
    /// ties go to the n-gram seen first, as <c>Counter.most_common</c> in datatrove's <c>find_top_duplicate</c>.
    /// </summary>
    public readonly int TopCharacters()
    {
        // The first start of an n-gram that occurs more than once is itself one of the starts counted.
        var (topCount, topStart) = (1, 0);
        for (var k = 0; k < _count; k++)
        {
            var count = _table.CountAt(_slots[k]);
            if (count > topCount)
            {
                (topCount, topStart) = (count, _starts[k]);
            }
        }

        return topCount > 1 ? (_words.NgramLength(topStart, Length) + Length - 1) * topCount : 0;
    }

    /// <summary>
    /// Characters of n-grams (words joined without spaces) seen before, skipping past each repeat (datatrove's
    /// <c>find_all_duplicate</c>). Marks the n-grams it visits seen, so it answers once per length.
    /// </summary>
    public readonly int RepeatedCharacters()
    {
        // A start not counted holds an n-gram that occurs once: the walk steps over it as datatrove's does, without
        // remembering it, since no later n-gram can equal it.
        var repeated = 0;
        var next = 0;
        for (var k = 0; k < _count; k++)
        {
            var start = _starts[k];
            if (start >= next && _table.MarkSeen(_slots[k]))
            {
                repeated += _words.NgramLength(start, Length);
                next = start + Length;
            }
        }

        return repeated;
    }

    private NgramTable CountPairs()
    {
        Length = 2;
        _count = Math.Max(0, _words.Count - 1);
        for (var start = 0; start < _count; start++)
        {
            _starts[start] = start;
        }

        _words.PairHashes(_keys[.._count]);
        return CountKeys();
    }

    private readonly NgramTable CountKeys()
    {
        var table = NgramTable.Begin(_count);
        for (var k = 0; k < _count; k++)
        {
            _slots[k] = table.Add(_keys[k]);
        }

        return table;
    }

    /// <summary>Keeps the starts whose n-gram and the next start's both repeat, keyed by those two n-grams' slots.</summary>
    private void KeepRepeatedNeighbours()
    {
        var kept = 0;
        var repeats = _count > 0 && _table.CountAt(_slots[0]) > 1;
        for (var k = 0; k + 1 < _count; k++)
        {
            var nextRepeats = _table.CountAt(_slots[k + 1]) > 1;
            if (repeats && nextRepeats && _starts[k + 1] == _starts[k] + 1)
            {
                _starts[kept] = _starts[k];
                _keys[kept] = ((ulong)(uint)_slots[k] << 32) | (uint)_slots[k + 1];
                kept++;
            }

            repeats = nextRepeats;
        }

        _count = kept;
    }
}
