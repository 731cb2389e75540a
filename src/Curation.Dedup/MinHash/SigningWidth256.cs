using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

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
    public static Vector256<ulong> MinOfMultiplyAdd(Vector256<ulong> least, Vector256<ulong> multiplier, Vector256<ulong> key, Vector256<ulong> increment) =>
        Vector256.Min(least, (multiplier * key) + increment);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreHighHalves(Vector256<ulong> minima, Span<uint> destination) =>
        Vector256.Narrow(minima >>> 32, Vector256<ulong>.Zero).GetLower().CopyTo(destination);
}
