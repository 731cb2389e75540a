using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Curation.Dedup.MinHash;

/// <summary>AVX2: four lanes.</summary>
internal readonly struct SigningWidth256 : ISigningWidth<Vector256<ulong>>
{
    public static int Lanes => Vector256<ulong>.Count;

    public static Vector256<ulong> AllBitsSet => Vector256<ulong>.AllBitsSet;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<ulong> Load(ref ulong first, int offset) => Vector256.LoadUnsafe(ref first, (nuint)offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<ulong> Broadcast(ulong value) => Vector256.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<ulong> MinOfMultiplyAdd(Vector256<ulong> least, Vector256<ulong> multiplier, Vector256<ulong> key, Vector256<ulong> keyHigh, Vector256<ulong> increment)
    {
        // The widening multiply of the low halves has no cross-platform form; the fallback computes the same product.
        var lowProduct = Avx2.IsSupported
            ? Avx2.Multiply(multiplier.AsUInt32(), key.AsUInt32())
            : (multiplier & Vector256.Create((ulong)uint.MaxValue)) * key;
        var value = lowProduct + (multiplier.AsUInt32() * keyHigh.AsUInt32()).AsUInt64() + increment;
        return Vector256.Min(least.AsUInt32(), value.AsUInt32()).AsUInt64();
    }

    public static int MixToKeys(ReadOnlySpan<ulong> shingles, Span<ulong> keys)
    {
        var done = 0;
        for (; done + Vector256<ulong>.Count <= shingles.Length; done += Vector256<ulong>.Count)
        {
            var z = Vector256.Create(shingles.Slice(done, Vector256<ulong>.Count));
            z = (z ^ (z >>> 30)) * Vector256.Create(SplitMix64.FirstMultiplier);
            z = (z ^ (z >>> 27)) * Vector256.Create(SplitMix64.SecondMultiplier);
            z ^= z >>> 31;
            (z & Vector256.Create((ulong)uint.MaxValue)).CopyTo(keys[done..]);
        }

        return done;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreHighHalves(Vector256<ulong> minima, Span<uint> destination) =>
        Vector256.Narrow(minima >>> 32, Vector256<ulong>.Zero).GetLower().CopyTo(destination);
}
