using System.Buffers;
using System.Numerics;

namespace Curation.Dedup.MinHash;

/// <summary>
/// Sorts 64-bit hash values and removes repeats. Hashes are spread evenly over their range, so their top bits place
/// each one almost where it belongs: one counting pass on those bits and an insertion sort that moves each value a
/// step or two, instead of a comparison sort that mispredicts about every other branch on random keys.
/// </summary>
internal static class HashSorter
{
    // Below this a comparison sort is as fast, and the bucket counts would dominate.
    private const int SmallCount = 64;

    // A million groups (4 MB of counts) at most; beyond that groups hold a few values each and the insertion sort copes.
    private const int MaxGroupBits = 20;

    /// <summary>The distinct values of <paramref name="hashes"/>, ascending; <paramref name="hashes"/> is used as scratch.</summary>
    public static ulong[] ToSortedSet(Span<ulong> hashes)
    {
        var sorted = ArrayPool<ulong>.Shared.Rent(hashes.Length);
        try
        {
            return sorted.AsSpan(0, ToSortedSet(hashes, sorted)).ToArray();
        }
        finally
        {
            ArrayPool<ulong>.Shared.Return(sorted);
        }
    }

    /// <summary>
    /// Writes the distinct values of <paramref name="hashes"/>, ascending, to the start of <paramref name="destination"/>
    /// and returns how many there are; <paramref name="hashes"/> is used as scratch.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <paramref name="hashes"/>.</exception>
    public static int ToSortedSet(Span<ulong> hashes, Span<ulong> destination)
    {
        if (destination.Length < hashes.Length)
        {
            throw new ArgumentException($"needs room for {hashes.Length} values, has {destination.Length}", nameof(destination));
        }

        if (hashes.Length < SmallCount)
        {
            hashes.Sort();
            hashes.CopyTo(destination);
            return Distinct(destination[..hashes.Length]);
        }

        var target = destination[..hashes.Length];
        DistributeByTopBits(hashes, target);
        if (!TryInsertionSort(target))
        {
            target.Sort();
        }

        return Distinct(target);
    }

    /// <summary>Copies <paramref name="source"/> to <paramref name="target"/> grouped by top bits, about one value per group.</summary>
    private static void DistributeByTopBits(ReadOnlySpan<ulong> source, Span<ulong> target)
    {
        var bits = Math.Min(BitOperations.Log2((uint)source.Length - 1) + 1, MaxGroupBits);
        var shift = 64 - bits;
        var starts = ArrayPool<int>.Shared.Rent((1 << bits) + 1);
        try
        {
            var next = starts.AsSpan(0, (1 << bits) + 1);
            next.Clear();
            foreach (var hash in source)
            {
                next[(int)(hash >> shift) + 1]++;
            }

            for (var group = 1; group < next.Length; group++)
            {
                next[group] += next[group - 1];
            }

            foreach (var hash in source)
            {
                target[next[(int)(hash >> shift)]++] = hash;
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(starts);
        }
    }

    /// <summary>
    /// Sorts values that are already nearly in order; gives up (false) if they are not, as when many values share their
    /// top bits without being equal, which evenly spread hashes almost never do.
    /// </summary>
    private static bool TryInsertionSort(Span<ulong> values)
    {
        var budget = 8L * values.Length;
        for (var i = 1; i < values.Length; i++)
        {
            var value = values[i];
            var j = i;
            while (j > 0 && values[j - 1] > value)
            {
                values[j] = values[j - 1];
                j--;
            }

            values[j] = value;
            budget -= i - j;
            if (budget < 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Moves the distinct values of <paramref name="sorted"/> to its start; returns how many there are.</summary>
    private static int Distinct(Span<ulong> sorted)
    {
        if (sorted.IsEmpty)
        {
            return 0;
        }

        var distinct = 1;
        for (var i = 1; i < sorted.Length; i++)
        {
            if (sorted[i] != sorted[distinct - 1])
            {
                sorted[distinct++] = sorted[i];
            }
        }

        return distinct;
    }
}
