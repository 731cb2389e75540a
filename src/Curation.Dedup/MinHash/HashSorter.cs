using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Curation.Dedup.MinHash;

/// <summary>
/// Sorts 64-bit hash values and removes repeats. Hashes are spread evenly over their range, so their top bits place
/// each one almost where it belongs: one counting pass on those bits and an insertion sort that moves each value a
/// step or two, instead of a comparison sort that mispredicts about every other branch on random keys.
/// </summary>
internal static class HashSorter
{
    // Group counts up to this many (16 KB) live on the stack.
    private const int StackGroups = 4097;

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

        if (hashes.Length < TopBitGroups.SmallCount)
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
        var bits = TopBitGroups.Bits(source.Length);
        var shift = 64 - bits;
        var groups = (1 << bits) + 1;
        var rented = groups > StackGroups ? ArrayPool<int>.Shared.Rent(groups) : null;
        try
        {
            // stackalloc memory is zeroed (no SkipLocalsInit here); a rented array is cleared.
            var next = rented is null ? stackalloc int[groups] : rented.AsSpan(0, groups);
            if (rented is not null)
            {
                next.Clear();
            }

            // A group index is below 2^bits by construction (the top bits of a 64-bit value), so these reads and
            // writes go without bounds checks.
            ref var first = ref MemoryMarshal.GetReference(next);
            foreach (var hash in source)
            {
                Unsafe.Add(ref first, (nint)(hash >> shift) + 1)++;
            }

            for (var group = 1; group < next.Length; group++)
            {
                next[group] += next[group - 1];
            }

            ref var output = ref MemoryMarshal.GetReference(target);
            foreach (var hash in source)
            {
                ref var slot = ref Unsafe.Add(ref first, (nint)(hash >> shift));
                Unsafe.Add(ref output, slot++) = hash;
            }
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<int>.Shared.Return(rented);
            }
        }
    }

    /// <summary>
    /// Sorts values that are already nearly in order; gives up (false) if they are not, as when many values share their
    /// top bits without being equal, which evenly spread hashes almost never do.
    /// </summary>
    private static bool TryInsertionSort(Span<ulong> values)
    {
        var budget = 8L * values.Length;
        ref var first = ref MemoryMarshal.GetReference(values);
        for (var i = 1; i < values.Length; i++)
        {
            var value = Unsafe.Add(ref first, i);
            if (Unsafe.Add(ref first, i - 1) <= value)
            {
                continue;
            }

            // Indices stay within 0..i of the span.
            var j = i;
            do
            {
                Unsafe.Add(ref first, j) = Unsafe.Add(ref first, j - 1);
                j--;
            }
            while (j > 0 && Unsafe.Add(ref first, j - 1) > value);

            Unsafe.Add(ref first, j) = value;
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
