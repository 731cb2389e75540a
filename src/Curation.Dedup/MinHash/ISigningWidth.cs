namespace Curation.Dedup.MinHash;

/// <summary>The lane operations <see cref="MinHashSigner"/> needs from one vector width of 64-bit lanes.</summary>
internal interface ISigningWidth<TVector>
    where TVector : struct
{
    static abstract int Lanes { get; }

    static abstract TVector AllBitsSet { get; }

    static abstract TVector Load(ref ulong first, int offset);

    static abstract TVector Broadcast(ulong value);

    /// <summary>min(<paramref name="least"/>, <paramref name="multiplier"/> · <paramref name="key"/> + <paramref name="increment"/>) per lane, mod 2^64.</summary>
    static abstract TVector MinOfMultiplyAdd(TVector least, TVector multiplier, TVector key, TVector increment);

    /// <summary>
    /// Writes the low 32 bits of <see cref="SplitMix64.Mix"/> of each whole vector's worth of <paramref name="shingles"/>
    /// to <paramref name="keys"/>; returns how many it wrote (the rest, fewer than <see cref="Lanes"/>, are the caller's).
    /// </summary>
    static abstract int MixToKeys(ReadOnlySpan<ulong> shingles, Span<ulong> keys);

    /// <summary>Writes the high 32 bits of each lane to <paramref name="destination"/>.</summary>
    static abstract void StoreHighHalves(TVector minima, Span<uint> destination);
}
