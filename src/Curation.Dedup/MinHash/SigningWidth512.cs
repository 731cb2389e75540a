using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Curation.Dedup.MinHash;

/// <summary>AVX-512: eight lanes.</summary>
internal readonly struct SigningWidth512 : ISigningWidth<Vector512<ulong>>
{
    public static int Lanes => Vector512<ulong>.Count;

    public static Vector512<ulong> AllBitsSet => Vector512<ulong>.AllBitsSet;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<ulong> Load(ref ulong first, int offset) => Vector512.LoadUnsafe(ref first, (nuint)offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<ulong> Broadcast(ulong value) => Vector512.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<ulong> MinOfMultiplyAdd(Vector512<ulong> least, Vector512<ulong> multiplier, Vector512<ulong> key, Vector512<ulong> keyHigh, Vector512<ulong> increment)
    {
        // The widening multiply of the low halves has no cross-platform form; the fallback computes the same product.
        var lowProduct = Avx512F.IsSupported
            ? Avx512F.Multiply(multiplier.AsUInt32(), key.AsUInt32())
            : (multiplier & Vector512.Create((ulong)uint.MaxValue)) * key;
        var value = lowProduct + (multiplier.AsUInt32() * keyHigh.AsUInt32()).AsUInt64() + increment;
        return Vector512.Min(least.AsUInt32(), value.AsUInt32()).AsUInt64();
    }

    public static int MixToKeys(ReadOnlySpan<ulong> shingles, Span<ulong> keys)
    {
        var done = 0;
        for (; done + Vector512<ulong>.Count <= shingles.Length; done += Vector512<ulong>.Count)
        {
            var z = Vector512.Create(shingles.Slice(done, Vector512<ulong>.Count));
            z = (z ^ (z >>> 30)) * Vector512.Create(SplitMix64.FirstMultiplier);
            z = (z ^ (z >>> 27)) * Vector512.Create(SplitMix64.SecondMultiplier);
            z ^= z >>> 31;
            (z & Vector512.Create((ulong)uint.MaxValue)).CopyTo(keys[done..]);
        }

        return done;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreHighHalves(Vector512<ulong> minima, Span<uint> destination) =>
        Vector512.Narrow(minima >>> 32, Vector512<ulong>.Zero).GetLower().CopyTo(destination);
}
