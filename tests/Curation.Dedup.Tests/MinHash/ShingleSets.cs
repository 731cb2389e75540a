namespace Curation.Dedup.Tests.MinHash;

/// <summary>Pairs of shingle sets whose Jaccard similarity is known exactly.</summary>
internal static class ShingleSets
{
    /// <summary>Two sorted sets of random 64-bit values whose union has <paramref name="union"/> values, <paramref name="shared"/> of them in both.</summary>
    public static (ulong[] A, ulong[] B) WithOverlap(Random random, int union, int shared)
    {
        var values = new HashSet<ulong>();
        while (values.Count < union)
        {
            values.Add((ulong)random.NextInt64(long.MinValue, long.MaxValue));
        }

        return Split([.. values], shared);
    }

    /// <summary>As <see cref="WithOverlap"/>, over the consecutive integers <paramref name="first"/> onwards: structured keys, not hashes.</summary>
    public static (ulong[] A, ulong[] B) Consecutive(ulong first, int union, int shared) =>
        Split([.. Enumerable.Range(0, union).Select(i => first + (ulong)i)], shared);

    private static (ulong[] A, ulong[] B) Split(ulong[] values, int shared)
    {
        var onlyA = (values.Length - shared) / 2;
        var a = values[..(shared + onlyA)];
        var b = values[..shared].Concat(values[(shared + onlyA)..]).ToArray();
        Array.Sort(a);
        Array.Sort(b);
        return (a, b);
    }
}
