namespace Curation.Dedup.MinHash;

/// <summary>Jaccard similarity |A ∩ B| / |A ∪ B|, exact over shingle sets or estimated from MinHash signatures.</summary>
public static class Jaccard
{
    /// <summary>
    /// The exact similarity of two sets given as ascending spans without duplicates (as <see cref="Shingler"/>
    /// returns them). Two empty sets are identical: 1.
    /// </summary>
    public static double Of(ReadOnlySpan<ulong> sortedA, ReadOnlySpan<ulong> sortedB)
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
}
