namespace Curation.Dedup.MinHash;

/// <summary>The lane operations <see cref="MinHashSigner"/> needs from one vector width of 64-bit lanes.</summary>
internal interface ISigningWidth<TVector>
    where TVector : struct
{
    static abstract int Lanes { get; }

    static abstract TVector AllBitsSet { get; }

    static abstract TVector Load(ref ulong first, int offset);

    static abstract TVector Broadcast(ulong value);

    /// <summary>
    /// Keeps in the high 32 bits of each lane the lesser of <paramref name="least"/>'s and those of
    /// (<paramref name="multiplier"/> · key + <paramref name="increment"/>) mod 2^64; the low 32 bits are left
    /// unspecified. The key is below 2^32: <paramref name="key"/> holds it in every lane, <paramref name="keyHigh"/>
    /// holds it shifted left by 32.
    /// </summary>
    /// <remarks>
    /// The high half of the least 64-bit value is the least high half, so the signature needs no 64-bit compare, and a
    /// 32-bit key needs no full 64-bit product: a·x mod 2^64 = a_lo·x + ((a_hi·x mod 2^32) · 2^32), one widening and
    /// one 32-bit multiply. AVX2 has neither a 64-bit multiply nor a 64-bit unsigned min.
    /// </remarks>
    static abstract TVector MinOfMultiplyAdd(TVector least, TVector multiplier, TVector key, TVector keyHigh, TVector increment);

    /// <summary>
    /// Writes the low 32 bits of <see cref="SplitMix64.Mix"/> of each whole vector's worth of <paramref name="shingles"/>
    /// to <paramref name="keys"/>; returns how many it wrote (the rest, fewer than <see cref="Lanes"/>, are the caller's).
    /// </summary>
    static abstract int MixToKeys(ReadOnlySpan<ulong> shingles, Span<ulong> keys);

    /// <summary>Writes the high 32 bits of each lane to <paramref name="destination"/>.</summary>
    static abstract void StoreHighHalves(TVector minima, Span<uint> destination);
}
