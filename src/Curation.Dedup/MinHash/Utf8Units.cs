using System.Numerics;
using System.Runtime.Intrinsics;
using System.Text;

namespace Curation.Dedup.MinHash;

/// <summary>Finds the words or the Unicode scalar values of well-formed UTF-8 text.</summary>
internal static class Utf8Units
{
    /// <summary>
    /// Rewrites <paramref name="utf8"/> in place as its words joined by single spaces (shrinking the span), records
    /// where each word starts, and returns how many words there are. <paramref name="starts"/> needs room for one
    /// more entry than there are words.
    /// </summary>
    public static int CompactWords(ref Span<byte> utf8, Span<int> starts)
    {
        var read = 0;
        var write = 0;
        var count = 0;
        var inWord = false;
        while (read < utf8.Length)
        {
            // Simplified text is already in this form, and then whole blocks only need their word starts found.
            var blockEnd = read + Vector128<byte>.Count;
            if (write == read && blockEnd <= utf8.Length && TryFindStartsInCanonicalBlock(utf8[read..blockEnd], read, ref inWord, starts, ref count))
            {
                read = write = blockEnd;
                continue;
            }

            do
            {
                if (StartsWithWhiteSpace(utf8[read..], out var runeLength))
                {
                    // The separator goes in at once, so a lone one-byte separator keeps the text in place for blocks.
                    if (inWord)
                    {
                        utf8[write++] = (byte)' ';
                        inWord = false;
                    }

                    read += runeLength;
                    continue;
                }

                if (!inWord)
                {
                    starts[count++] = write;
                    inWord = true;
                }

                for (var end = read + runeLength; read < end;)
                {
                    utf8[write++] = utf8[read++];
                }
            }
            while (read < Math.Min(blockEnd, utf8.Length));
        }

        // Text that ends in whitespace has a separator after its last word, with no word after it.
        if (write > 0 && !inWord)
        {
            write--;
        }

        utf8 = utf8[..write];
        return count;
    }

    /// <summary>
    /// Records where each scalar value of <paramref name="utf8"/> starts and returns how many there are.
    /// <paramref name="starts"/> needs room for one more entry than there are scalar values.
    /// </summary>
    public static int FindRunes(ReadOnlySpan<byte> utf8, Span<int> starts)
    {
        var count = 0;
        for (var i = 0; i < utf8.Length; i++)
        {
            if ((utf8[i] & 0xC0) != 0x80)
            {
                starts[count++] = i;
            }
        }

        return count;
    }

    /// <summary>
    /// If <paramref name="block"/> is already in canonical form (ASCII, its only whitespace single spaces, and no space
    /// at its start when the text before it ended in a space), records the words that start in it and returns true;
    /// otherwise changes nothing and returns false.
    /// </summary>
    private static bool TryFindStartsInCanonicalBlock(ReadOnlySpan<byte> block, int offset, ref bool inWord, Span<int> starts, ref int count)
    {
        var bytes = Vector128.Create(block);
        var spaces = Vector128.Equals(bytes, Vector128.Create((byte)' ')).ExtractMostSignificantBits();
        var otherWhiteSpace = Vector128.LessThanOrEqual(bytes - Vector128.Create((byte)'\t'), Vector128.Create((byte)('\r' - '\t')));
        var afterSpace = (spaces << 1) | (inWord ? 0u : 1u);
        if (bytes.ExtractMostSignificantBits() != 0 || otherWhiteSpace != Vector128<byte>.Zero || (spaces & afterSpace) != 0)
        {
            return false;
        }

        for (var wordStarts = ~spaces & afterSpace & 0xFFFF; wordStarts != 0; wordStarts &= wordStarts - 1)
        {
            starts[count++] = offset + BitOperations.TrailingZeroCount(wordStarts);
        }

        inWord = (spaces & 0x8000) == 0;
        return true;
    }

    private static bool StartsWithWhiteSpace(ReadOnlySpan<byte> utf8, out int runeLength)
    {
        var first = utf8[0];
        if (first < 0x80)
        {
            runeLength = 1;
            return first == ' ' || (uint)(first - '\t') <= '\r' - '\t';
        }

        Rune.DecodeFromUtf8(utf8, out var rune, out runeLength);
        return Rune.IsWhiteSpace(rune);
    }
}
