using System.Numerics;

namespace Curation.Dedup.MinHash;

/// <summary>
/// How the sorters of hash values (<see cref="HashSorter"/>, <see cref="BandEntrySorter"/>) group values by their top
/// bits: about one value per group, so that an insertion sort within the groups moves a value a step or two.
/// </summary>
internal static class TopBitGroups
{
    /// <summary>Below this many values a comparison sort is as fast, and the group counts would dominate.</summary>
    public const int SmallCount = 64;

    // A million groups (4 MB of counts) at most; beyond that groups hold a few values each and the insertion sort copes.
    private const int MaxBits = 20;

    /// <summary>The top bits that pick a value's group among <paramref name="count"/> values (at least <see cref="SmallCount"/>).</summary>
    public static int Bits(int count) => Math.Min(BitOperations.Log2((uint)count - 1) + 1, MaxBits);
}
