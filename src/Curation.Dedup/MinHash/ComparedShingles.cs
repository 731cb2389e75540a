namespace Curation.Dedup.MinHash;

/// <summary>
/// What near-dedup's exact Jaccard compares of a document: the distinct high 32 bits of its shingle hashes. Taking the
/// high half of an ascending set keeps it ascending, so no sort is needed, and it halves what a run writes for every
/// document and reads back for every pair it verifies. Two different shingles of a pair of 300-shingle documents
/// share a high half with probability about 300² / 2^32 ≈ 2·10⁻⁵; then one value of the pair's overlap is miscounted.
/// </summary>
public static class ComparedShingles
{
    /// <summary>The compared set of a shingle set (ascending, distinct, as <see cref="Shingler"/> returns it).</summary>
    public static uint[] Of(ReadOnlySpan<ulong> sortedShingles)
    {
        var compared = new uint[sortedShingles.Length];
        return compared.AsSpan(0, Write(sortedShingles, compared)).ToArray();
    }

    /// <summary>
    /// Writes the compared set of <paramref name="sortedShingles"/> to the start of <paramref name="destination"/>,
    /// which holds at least as many values, and returns its size.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short.</exception>
    public static int Write(ReadOnlySpan<ulong> sortedShingles, Span<uint> destination)
    {
        if (destination.Length < sortedShingles.Length)
        {
            throw new ArgumentException($"needs room for {sortedShingles.Length} values, has {destination.Length}", nameof(destination));
        }

        var count = 0;
        foreach (var shingle in sortedShingles)
        {
            var high = (uint)(shingle >> 32);
            if (count == 0 || destination[count - 1] != high)
            {
                destination[count++] = high;
            }
        }

        return count;
    }
}
