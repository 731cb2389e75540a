using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Curation.Filters.Quality;

/// <summary>
/// A text's words as 64-bit hashes and running lengths, so that n-grams compare by hashes
/// instead of a string each (the rule used to allocate 130 times its input). A collision between two different
/// words or pairs of words of one text is vanishingly rare. The arrays belong to the calling thread and are reused.
/// </summary>
/// <remarks>
/// Words are split as <see cref="Text.WordEnumerator"/> splits them, in one pass that first marks every whitespace
/// character in a bitmap (sixteen ASCII characters per vector compare) and then walks the words from bit to bit,
/// hashing each as it is found: no per-character branch, and a word of up to eight characters is hashed from two
/// masked 8-byte reads with no branch on its length (splitting and then hashing each word took half of this rule's time,
/// mostly in branches that mispredict with the lengths of words).
/// </remarks>
internal readonly ref struct WordHashes
{
    private const ulong Multiplier = 0x9E3779B97F4A7C15UL;

    private const ulong Finaliser = 0xC2B2AE3D27D4EB4FUL;

    private const ulong PairSeed = 2;

    // Words of up to this many characters are hashed from two 8-byte reads.
    private const int ShortWord = 8;

    private const int CharsPerBitmapWord = 64;

    [ThreadStatic]
    private static ulong[]? t_hashes;

    [ThreadStatic]
    private static int[]? t_lengthsBefore;

    [ThreadStatic]
    private static ulong[]? t_whitespace;

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

        // One more bitmap word than the text needs: the bits past its end are set, so every word finds its end.
        var bitmapWords = (text.Length / CharsPerBitmapWord) + 1;
        if (t_whitespace is null || t_whitespace.Length < bitmapWords)
        {
            t_whitespace = new ulong[Math.Max(bitmapWords, 256)];
        }

        var hashes = t_hashes;
        var lengthsBefore = t_lengthsBefore!;
        var whitespace = t_whitespace.AsSpan(0, bitmapWords);
        MarkWhitespace(text, whitespace);
        var count = 0;
        var length = 0;
        var at = 0;
        while ((at = NextClear(whitespace, at)) < text.Length)
        {
            var end = NextSet(whitespace, at + 1);
            hashes[count] = HashOf(text, at, end - at);
            lengthsBefore[count] = length;
            length += end - at;
            count++;
            at = end;
        }

        lengthsBefore[count] = length;
        return new(hashes.AsSpan(0, count), lengthsBefore.AsSpan(0, count + 1));
    }

    /// <summary>Sets bit i of <paramref name="bitmap"/> where char i of <paramref name="text"/> is whitespace, and every bit past its end.</summary>
    private static void MarkWhitespace(ReadOnlySpan<char> text, Span<ulong> bitmap)
    {
        var whole = text.Length / CharsPerBitmapWord;
        for (var word = 0; word < whole; word++)
        {
            var chars = text.Slice(word * CharsPerBitmapWord, CharsPerBitmapWord);
            bitmap[word] = Vector256.IsHardwareAccelerated && TryMarkAscii(chars, out var bits) ? bits : MarkEach(chars);
        }

        var rest = text[(whole * CharsPerBitmapWord)..];
        bitmap[whole] = MarkEach(rest) | (ulong.MaxValue << rest.Length);
    }

    /// <summary>The whitespace bits of 64 chars if they are all ASCII.</summary>
    private static bool TryMarkAscii(ReadOnlySpan<char> chars, out ulong bits)
    {
        var source = MemoryMarshal.Cast<char, ushort>(chars);
        var space = Vector256.Create((ushort)' ');
        var tab = Vector256.Create((ushort)'\t');
        var controls = Vector256.Create((ushort)('\r' - '\t'));
        var all = Vector256<ushort>.Zero;
        bits = 0;
        for (var block = 0; block < CharsPerBitmapWord / Vector256<ushort>.Count; block++)
        {
            var values = Vector256.Create(source.Slice(block * Vector256<ushort>.Count, Vector256<ushort>.Count));
            all |= values;
            var found = Vector256.Equals(values, space) | Vector256.LessThanOrEqual(values - tab, controls);
            bits |= (ulong)found.ExtractMostSignificantBits() << (block * Vector256<ushort>.Count);
        }

        return Vector256.LessThanAll(all, Vector256.Create((ushort)0x80));
    }

    private static ulong MarkEach(ReadOnlySpan<char> chars)
    {
        var bits = 0UL;
        for (var i = 0; i < chars.Length; i++)
        {
            bits |= Text.Whitespace.Is(chars[i]) ? 1UL << i : 0;
        }

        return bits;
    }

    /// <summary>The first position from <paramref name="from"/> on whose bit is clear; past the text if none.</summary>
    private static int NextClear(ReadOnlySpan<ulong> bitmap, int from)
    {
        var word = from / CharsPerBitmapWord;
        var clear = ~bitmap[word] & (ulong.MaxValue << from);
        while (clear == 0)
        {
            if (++word == bitmap.Length)
            {
                return int.MaxValue;
            }

            clear = ~bitmap[word];
        }

        return (word * CharsPerBitmapWord) + BitOperations.TrailingZeroCount(clear);
    }

    /// <summary>The first position from <paramref name="from"/> on whose bit is set (the bits past the text's end are).</summary>
    private static int NextSet(ReadOnlySpan<ulong> bitmap, int from)
    {
        var word = from / CharsPerBitmapWord;
        var set = bitmap[word] & (ulong.MaxValue << from);
        while (set == 0)
        {
            set = bitmap[++word];
        }

        return (word * CharsPerBitmapWord) + BitOperations.TrailingZeroCount(set);
    }

    /// <summary>
    /// The hash of the <paramref name="length"/> chars at <paramref name="start"/>. A short word is read as two 8-byte
    /// halves, masked to its length, from the text where 16 bytes can be read and from a zeroed copy near its end, so
    /// that a word hashes the same wherever it lies.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong HashOf(ReadOnlySpan<char> text, int start, int length)
    {
        if (length > ShortWord)
        {
            return HashOfLong(text.Slice(start, length));
        }

        if (start + ShortWord > text.Length)
        {
            return HashOfShortNearEnd(text.Slice(start, length));
        }

        ref var first = ref Unsafe.As<char, byte>(ref Unsafe.Add(ref MemoryMarshal.GetReference(text), start));
        return HashOfShort(Unsafe.ReadUnaligned<ulong>(ref first), Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref first, sizeof(ulong))), length);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static ulong HashOfShortNearEnd(ReadOnlySpan<char> word)
    {
        Span<ulong> halves = [0, 0];
        word.CopyTo(MemoryMarshal.Cast<ulong, char>(halves));
        return HashOfShort(halves[0], halves[1], word.Length);
    }

    /// <summary>The hash of a word of <paramref name="length"/> (1 to 8) chars whose UTF-16 bytes start <paramref name="low"/> and go on in <paramref name="high"/>; bytes past the word are ignored.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong HashOfShort(ulong low, ulong high, int length)
    {
        var bits = length * 16;
        low &= bits >= 64 ? ulong.MaxValue : (1UL << bits) - 1;
        high &= bits >= 128 ? ulong.MaxValue : bits <= 64 ? 0 : (1UL << (bits - 64)) - 1;

        // Each step is a bijection of the half it takes in, and the length seeds the first, so two words of different
        // length or content collide only by chance.
        var hash = (low ^ ((ulong)length * Multiplier)) * Multiplier;
        hash = (BitOperations.RotateLeft(hash, 29) ^ high) * Multiplier;
        return (hash ^ (hash >> 32)) * Finaliser;
    }

    /// <summary>A longer word's hash, four characters at a time (the length seeds it, so zero padding cannot collide).</summary>
    private static ulong HashOfLong(ReadOnlySpan<char> word)
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

        return (hash ^ (hash >> 32)) * Finaliser;
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
