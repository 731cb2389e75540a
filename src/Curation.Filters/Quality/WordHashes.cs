using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;

namespace Curation.Filters.Quality;

/// <summary>
/// A text's words as 64-bit hashes and running lengths, so that n-grams compare by hashes
/// instead of a string each (the rule used to allocate 130 times its input). A collision between two different
/// words or pairs of words of one text is vanishingly rare. The arrays belong to the calling thread and are reused.
/// </summary>
internal readonly ref struct WordHashes
{
    private const ulong Multiplier = 0x9E3779B97F4A7C15UL;

    private const ulong PairSeed = 2;

    [ThreadStatic]
    private static ulong[]? t_hashes;

    [ThreadStatic]
    private static int[]? t_lengthsBefore;

    private readonly ReadOnlySpan<ulong> _hashes;
    private readonly ReadOnlySpan<int> _lengthsBefore;

    private WordHashes(ReadOnlySpan<ulong> hashes, ReadOnlySpan<int> lengthsBefore)
    {
        _hashes = hashes;
        _lengthsBefore = lengthsBefore;
    }

    public int Count => _hashes.Length;

    public static WordHashes Of(ReadOnlySpan<char> text)
    {
        // Whitespace separates words, so a text of n chars has at most n / 2 + 1 of them.
        var most = (text.Length / 2) + 1;
        if (t_hashes is null || t_hashes.Length < most)
        {
            t_hashes = new ulong[Math.Max(most, 1024)];
            t_lengthsBefore = new int[t_hashes.Length + 1];
        }

        var hashes = t_hashes;
        var lengthsBefore = t_lengthsBefore!;
        var count = 0;
        var length = 0;
        foreach (var word in new Text.WordEnumerator(text))
        {
            hashes[count] = HashOf(word);
            lengthsBefore[count] = length;
            length += word.Length;
            count++;
        }

        lengthsBefore[count] = length;
        return new(hashes.AsSpan(0, count), lengthsBefore.AsSpan(0, count + 1));
    }

    /// <summary>A word's hash, four characters at a time (the length seeds it, so zero padding cannot collide).</summary>
    private static ulong HashOf(ReadOnlySpan<char> word)
    {
        var bytes = MemoryMarshal.AsBytes(word);
        var hash = ((ulong)word.Length + 1) * Multiplier;
        while (bytes.Length >= sizeof(ulong))
        {
            hash = BitOperations.RotateLeft((hash ^ BinaryPrimitives.ReadUInt64LittleEndian(bytes)) * Multiplier, 29);
            bytes = bytes[sizeof(ulong)..];
        }

        if (!bytes.IsEmpty)
        {
            // 2, 4 or 6 bytes are left.
            var tail = bytes.Length >= 4 ? BinaryPrimitives.ReadUInt32LittleEndian(bytes) : 0UL;
            if ((bytes.Length & 2) != 0)
            {
                tail |= (ulong)BinaryPrimitives.ReadUInt16LittleEndian(bytes[^2..]) << (bytes.Length >= 4 ? 32 : 0);
            }

            hash = BitOperations.RotateLeft((hash ^ tail) * Multiplier, 29);
        }

        return (hash ^ (hash >> 32)) * 0xC2B2AE3D27D4EB4FUL;
    }

    /// <summary>The hash of every pair of neighbouring words, by where it starts, into <paramref name="destination"/> (one per start).</summary>
    /// <remarks>
    /// Each hash is a chain of dependent multiplies, so the chains of neighbouring starts run side by side in vector
    /// lanes; the values are those of the scalar chain.
    /// </remarks>
    public void PairHashes(Span<ulong> destination)
    {
        var pairs = destination.Length;
        var start = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var seed = new Vector<ulong>(PairSeed);
            var multiplier = new Vector<ulong>(Multiplier);
            for (; start + Vector<ulong>.Count <= pairs; start += Vector<ulong>.Count)
            {
                var hash = seed;
                hash = ((hash ^ new Vector<ulong>(_hashes[start..])) * multiplier) + (hash >>> 29);
                hash = ((hash ^ new Vector<ulong>(_hashes[(start + 1)..])) * multiplier) + (hash >>> 29);
                hash.CopyTo(destination[start..]);
            }
        }

        for (; start < pairs; start++)
        {
            var hash = PairSeed;
            hash = ((hash ^ _hashes[start]) * Multiplier) + (hash >> 29);
            hash = ((hash ^ _hashes[start + 1]) * Multiplier) + (hash >> 29);
            destination[start] = hash;
        }
    }

    /// <summary>The characters of words <paramref name="start"/> to <paramref name="start"/> + <paramref name="n"/> - 1, spaces not counted.</summary>
    public int NgramLength(int start, int n) => _lengthsBefore[start + n] - _lengthsBefore[start];
}
