using System.Buffers;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Curation.Dedup.MinHash;

/// <summary>
/// Computes MinHash signatures: for each of <see cref="Permutations"/> seeded hash functions, the least hash over a
/// document's shingles. Two documents agree at a position with probability close to their Jaccard similarity.
/// Immutable, so one instance can sign on many threads.
/// </summary>
/// <remarks>
/// Permutation i is the multiply-add-shift hash h_i(x) = ((a_i·x + b_i) mod 2^64) >> 32 of a 32-bit key x, with a_i and
/// b_i drawn from SplitMix64. For 32-bit keys and 64-bit a, b this family is strongly universal (2-independent):
/// Dietzfelbinger 1996; Thorup, "High Speed Hashing for Integers and Strings", §3.3. It needs neither a prime modulus
/// nor 128-bit products (the <c>(a·x + b) mod (2^61 − 1)</c> of the Python tools overflows 64 bits), so the hot loop is
/// a few lane multiplies, adds and an unsigned min per permutation. Only the high half of each value is compared: the
/// least high half is h_i's minimum (see <see cref="ISigningWidth{TVector}.MinOfMultiplyAdd"/>).
/// <para>
/// A 2-independent family alone gives biased estimates on structured sets (runs of consecutive integers at a true
/// Jaccard of 0.8 averaged 0.76), yet behaves like fully random hashing once the keys carry enough entropy
/// (Mitzenmacher and Vadhan 2008). So each shingle first goes through the SplitMix64 output mix, a bijection that keeps
/// the sets' Jaccard similarity and destroys such structure, and its low 32 bits are the key. That costs one mix (in vector lanes)
/// per shingle, not per permutation.
/// </para>
/// </remarks>
public sealed class MinHashSigner
{
    public const int DefaultPermutations = 128;

    public const long DefaultSeed = 1;

    private const int VectorsPerBlock = 4;

    private const int StackKeys = 256;

    private readonly ulong[] _multipliers;
    private readonly ulong[] _increments;

    /// <param name="permutations">Signature length (num_perm).</param>
    /// <param name="seed">Picks the hash functions: signatures compare only between signers with the same seed.</param>
    public MinHashSigner(int permutations = DefaultPermutations, long seed = DefaultSeed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(permutations, 1);
        Permutations = permutations;
        Seed = seed;
        _multipliers = new ulong[permutations];
        _increments = new ulong[permutations];
        var random = new SplitMix64(unchecked((ulong)seed));
        for (var i = 0; i < permutations; i++)
        {
            _multipliers[i] = random.Next();
            _increments[i] = random.Next();
        }
    }

    public int Permutations { get; }

    public long Seed { get; }

    /// <summary>The widest path this machine runs in hardware.</summary>
    internal static SigningPath FastestPath =>
        Vector512.IsHardwareAccelerated ? SigningPath.Vector512
        : Vector256.IsHardwareAccelerated ? SigningPath.Vector256
        : SigningPath.Scalar;

    /// <summary>
    /// The signature of a shingle set (see <see cref="Shingler"/>; duplicates and order do not matter). An empty set
    /// signs as all <see cref="uint.MaxValue"/>.
    /// </summary>
    public uint[] Sign(ReadOnlySpan<ulong> shingles)
    {
        var signature = new uint[Permutations];
        Sign(shingles, signature, FastestPath);
        return signature;
    }

    /// <summary>Writes the signature of <paramref name="shingles"/> to <paramref name="signature"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="signature"/> is not <see cref="Permutations"/> long.</exception>
    public void Sign(ReadOnlySpan<ulong> shingles, Span<uint> signature) => Sign(shingles, signature, FastestPath);

    /// <summary>Signs on the given path; vector paths finish the permutations that do not fill a vector in scalar.</summary>
    internal void Sign(ReadOnlySpan<ulong> shingles, Span<uint> signature, SigningPath path)
    {
        if (signature.Length != Permutations)
        {
            throw new ArgumentException($"needs {Permutations} values, has {signature.Length}", nameof(signature));
        }

        var rented = shingles.Length > StackKeys ? ArrayPool<ulong>.Shared.Rent(shingles.Length) : null;
        try
        {
            var keys = rented is null ? stackalloc ulong[shingles.Length] : rented.AsSpan(0, shingles.Length);
            var mixed = path switch
            {
                SigningPath.Vector512 => SigningWidth512.MixToKeys(shingles, keys),
                SigningPath.Vector256 => SigningWidth256.MixToKeys(shingles, keys),
                _ => 0,
            };
            for (var i = mixed; i < shingles.Length; i++)
            {
                keys[i] = (uint)SplitMix64.Mix(shingles[i]);
            }

            var done = path switch
            {
                SigningPath.Vector512 => MinimaVector<SigningWidth512, Vector512<ulong>>(keys, signature),
                SigningPath.Vector256 => MinimaVector<SigningWidth256, Vector256<ulong>>(keys, signature),
                _ => 0,
            };
            MinimaScalar(keys, signature, done);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<ulong>.Shared.Return(rented);
            }
        }
    }

    /// <summary>The reference the vector paths must match, for permutations <paramref name="first"/> onwards.</summary>
    private void MinimaScalar(ReadOnlySpan<ulong> keys, Span<uint> signature, int first)
    {
        for (var p = first; p < Permutations; p++)
        {
            var multiplier = _multipliers[p];
            var increment = _increments[p];
            var least = ulong.MaxValue;
            foreach (var key in keys)
            {
                least = Math.Min(least, unchecked((multiplier * key) + increment));
            }

            signature[p] = (uint)(least >> 32);
        }
    }

    // Permutations outer, keys inner: a block's multipliers, increments and minima stay in registers while the
    // keys stream past, and the blocks' independent minima keep the multiplier busy. One code for both widths: the
    // JIT specialises it per width struct and inlines its static members.
    private int MinimaVector<TWidth, TVector>(ReadOnlySpan<ulong> keys, Span<uint> signature)
        where TWidth : struct, ISigningWidth<TVector>
        where TVector : struct
    {
        var lanes = TWidth.Lanes;
        ref var multipliers = ref MemoryMarshal.GetArrayDataReference(_multipliers);
        ref var increments = ref MemoryMarshal.GetArrayDataReference(_increments);
        var p = 0;
        for (; p + (VectorsPerBlock * lanes) <= Permutations; p += VectorsPerBlock * lanes)
        {
            var a0 = TWidth.Load(ref multipliers, p);
            var a1 = TWidth.Load(ref multipliers, p + lanes);
            var a2 = TWidth.Load(ref multipliers, p + (2 * lanes));
            var a3 = TWidth.Load(ref multipliers, p + (3 * lanes));
            var b0 = TWidth.Load(ref increments, p);
            var b1 = TWidth.Load(ref increments, p + lanes);
            var b2 = TWidth.Load(ref increments, p + (2 * lanes));
            var b3 = TWidth.Load(ref increments, p + (3 * lanes));
            var m0 = TWidth.AllBitsSet;
            var m1 = m0;
            var m2 = m0;
            var m3 = m0;
            foreach (var key in keys)
            {
                var x = TWidth.Broadcast(key);
                var xHigh = TWidth.Broadcast(key << 32);
                m0 = TWidth.MinOfMultiplyAdd(m0, a0, x, xHigh, b0);
                m1 = TWidth.MinOfMultiplyAdd(m1, a1, x, xHigh, b1);
                m2 = TWidth.MinOfMultiplyAdd(m2, a2, x, xHigh, b2);
                m3 = TWidth.MinOfMultiplyAdd(m3, a3, x, xHigh, b3);
            }

            TWidth.StoreHighHalves(m0, signature[p..]);
            TWidth.StoreHighHalves(m1, signature[(p + lanes)..]);
            TWidth.StoreHighHalves(m2, signature[(p + (2 * lanes))..]);
            TWidth.StoreHighHalves(m3, signature[(p + (3 * lanes))..]);
        }

        for (; p + lanes <= Permutations; p += lanes)
        {
            var a = TWidth.Load(ref multipliers, p);
            var b = TWidth.Load(ref increments, p);
            var m = TWidth.AllBitsSet;
            foreach (var key in keys)
            {
                m = TWidth.MinOfMultiplyAdd(m, a, TWidth.Broadcast(key), TWidth.Broadcast(key << 32), b);
            }

            TWidth.StoreHighHalves(m, signature[p..]);
        }

        return p;
    }
}
