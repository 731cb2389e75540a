using System.Numerics;

namespace Curation.Dedup.MinHash;

/// <summary>Jaccard similarity |A ∩ B| / |A ∪ B|, exact over shingle sets or estimated from MinHash signatures.</summary>
public static class Jaccard
{
    /// <summary>
    /// The exact similarity of two sets given as ascending spans without duplicates (as <see cref="Shingler"/>
    /// returns them). Two empty sets are identical: 1.
    /// </summary>
    public static double Of(ReadOnlySpan<ulong> sortedA, ReadOnlySpan<ulong> sortedB) => OfSorted(sortedA, sortedB);

    /// <summary>
    /// <see cref="Of(ReadOnlySpan{ulong}, ReadOnlySpan{ulong})"/> over sets of 32-bit values, as near-dedup compares
    /// documents (see <see cref="ComparedShingles"/>).
    /// </summary>
    public static double Of(ReadOnlySpan<uint> sortedA, ReadOnlySpan<uint> sortedB) => OfSorted(sortedA, sortedB);

    /// <summary>
    /// Whether <see cref="Of(ReadOnlySpan{ulong}, ReadOnlySpan{ulong})"/> of the two sets is at or above <paramref name="threshold"/>, decided exactly as that
    /// comparison would be, but stopping as soon as the answer is known: once enough values are shared, or once too
    /// many have been passed over for the rest to make up. Most candidate pairs from LSH fall well short of the
    /// threshold, so most merges stop early.
    /// </summary>
    public static bool Reaches(ReadOnlySpan<ulong> sortedA, ReadOnlySpan<ulong> sortedB, double threshold) => ReachesSorted(sortedA, sortedB, threshold);

    /// <summary>
    /// <see cref="Reaches(ReadOnlySpan{ulong}, ReadOnlySpan{ulong}, double)"/> over sets of 32-bit values, as near-dedup
    /// compares documents (see <see cref="ComparedShingles"/>).
    /// </summary>
    public static bool Reaches(ReadOnlySpan<uint> sortedA, ReadOnlySpan<uint> sortedB, double threshold) => ReachesSorted(sortedA, sortedB, threshold);

    /// <summary>The MinHash estimate: the fraction of positions where two signatures (same signer) agree.</summary>
    /// <exception cref="ArgumentException">The signatures differ in length or are empty.</exception>
    public static double Estimate(ReadOnlySpan<uint> signatureA, ReadOnlySpan<uint> signatureB)
    {
        if (signatureA.Length != signatureB.Length || signatureA.IsEmpty)
        {
            throw new ArgumentException($"signatures of {signatureA.Length} and {signatureB.Length} values do not compare", nameof(signatureB));
        }

        var agree = 0;
        for (var i = 0; i < signatureA.Length; i++)
        {
            agree += signatureA[i] == signatureB[i] ? 1 : 0;
        }

        return (double)agree / signatureA.Length;
    }

    /// <summary>
    /// The fewest shared values at which <see cref="Of(ReadOnlySpan{ulong}, ReadOnlySpan{ulong})"/> of sets of these sizes reaches the threshold (one more than
    /// the smaller size when none does). Of grows with the shared count (the ratio's numerator grows and its
    /// denominator shrinks, and rounded division keeps order), so every count from this one up reaches it too.
    /// </summary>
    internal static int LeastShared(int sizeA, int sizeB, double threshold)
    {
        var most = Math.Min(sizeA, sizeB);
        var total = sizeA + sizeB;
        var shared = (int)Math.Clamp(Math.Ceiling(threshold * total / (1 + threshold)), 0, most + 1);
        while (shared > 0 && Ratio(shared - 1) >= threshold)
        {
            shared--;
        }

        while (shared <= most && Ratio(shared) < threshold)
        {
            shared++;
        }

        return shared;

        double Ratio(int count) => (double)count / (total - count);
    }

    private static double OfSorted<T>(ReadOnlySpan<T> sortedA, ReadOnlySpan<T> sortedB)
        where T : unmanaged, IBinaryInteger<T>
    {
        if (sortedA.IsEmpty && sortedB.IsEmpty)
        {
            return 1;
        }

        var shared = 0;
        var (i, j) = (0, 0);
        while (i < sortedA.Length && j < sortedB.Length)
        {
            var (a, b) = (sortedA[i], sortedB[j]);
            if (a == b)
            {
                shared++;
            }

            i += a <= b ? 1 : 0;
            j += b <= a ? 1 : 0;
        }

        return (double)shared / (sortedA.Length + sortedB.Length - shared);
    }

    private static bool ReachesSorted<T>(ReadOnlySpan<T> sortedA, ReadOnlySpan<T> sortedB, double threshold)
        where T : unmanaged, IBinaryInteger<T>
    {
        if (sortedA.IsEmpty && sortedB.IsEmpty)
        {
            return 1 >= threshold;
        }

        var needed = LeastShared(sortedA.Length, sortedB.Length, threshold);
        var shared = 0;
        var (i, j) = (0, 0);
        while (true)
        {
            // At most min(values left in A, in B) can still be shared. A step shares at most one more value and
            // lowers that bound by at most one, so the answer cannot be known sooner than this many steps ahead,
            // and they stay within both sets.
            var missing = needed - shared;
            var spare = shared + Math.Min(sortedA.Length - i, sortedB.Length - j) - needed;
            if (missing <= 0 || spare < 0)
            {
                return missing <= 0;
            }

            for (var steps = Math.Min(missing, spare + 1); steps > 0; steps--)
            {
                var (a, b) = (sortedA[i], sortedB[j]);
                shared += a == b ? 1 : 0;
                i += a <= b ? 1 : 0;
                j += b <= a ? 1 : 0;
            }
        }
    }

}
