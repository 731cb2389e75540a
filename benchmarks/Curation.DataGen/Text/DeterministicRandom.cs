namespace Curation.DataGen.Text;

/// <summary>
/// xoshiro256** seeded through SplitMix64. Written out here rather than using <see cref="Random"/> so the
/// committed sample stays byte-identical whatever runtime regenerates it.
/// </summary>
internal sealed class DeterministicRandom
{
    private ulong _s0;
    private ulong _s1;
    private ulong _s2;
    private ulong _s3;

    public DeterministicRandom(ulong seed)
    {
        var mix = seed;
        _s0 = SplitMix64(ref mix);
        _s1 = SplitMix64(ref mix);
        _s2 = SplitMix64(ref mix);
        _s3 = SplitMix64(ref mix);
    }

    /// <summary>An independent stream for a named part of the output (a file, a chunk), stable under reordering.</summary>
    public static DeterministicRandom ForStream(ulong seed, string stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var hash = 14695981039346656037UL;
        foreach (var c in stream)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return new DeterministicRandom(seed ^ hash);
    }

    public static DeterministicRandom ForStream(ulong seed, long stream) =>
        new(seed ^ ((ulong)stream * 0x9E3779B97F4A7C15UL) ^ 0xD1B54A32D192ED03UL);

    public ulong NextUInt64()
    {
        var result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>A value in [0, maxExclusive).</summary>
    public int Next(int maxExclusive)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxExclusive);
        return (int)(((NextUInt64() >> 32) * (ulong)maxExclusive) >> 32);
    }

    /// <summary>A value in [min, max], both included.</summary>
    public int Between(int min, int max)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, min);
        return min + Next(max - min + 1);
    }

    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    public bool Chance(double probability) => NextDouble() < probability;

    public T Pick<T>(IReadOnlyList<T> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        return items[Next(items.Count)];
    }

    /// <summary>Picks one of the arguments; spares call sites a throwaway array.</summary>
    public T PickOne<T>(params ReadOnlySpan<T> items) => items[Next(items.Length)];

    /// <summary>Picks <paramref name="count"/> distinct items, in a random order.</summary>
    public List<T> PickDistinct<T>(IReadOnlyList<T> items, int count)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, items.Count);
        var indexes = new int[items.Count];
        for (var i = 0; i < indexes.Length; i++)
        {
            indexes[i] = i;
        }

        var picked = new List<T>(count);
        for (var i = 0; i < count; i++)
        {
            var j = i + Next(indexes.Length - i);
            (indexes[i], indexes[j]) = (indexes[j], indexes[i]);
            picked.Add(items[indexes[i]]);
        }

        return picked;
    }

    public void Shuffle<T>(IList<T> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        for (var i = items.Count - 1; i > 0; i--)
        {
            var j = Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    private static ulong SplitMix64(ref ulong state)
    {
        state += 0x9E3779B97F4A7C15UL;
        var z = state;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
