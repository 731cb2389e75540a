using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Curation.IO.Formats;

/// <summary>
/// Finds the bytes a JSON string cannot hold raw: the quote, the backslash and the control characters below U+0020.
/// Three vector compares per block instead of a general set lookup; chat text has an escape every few dozen bytes
/// ("\n"), so the search is short and called often, and its fixed cost counts as much as its speed.
/// </summary>
internal static class JsonStringSpecials
{
    /// <summary>Index of the first '"', '\\' or byte below 0x20 in <paramref name="text"/>, or -1.</summary>
    public static int IndexOf(ReadOnlySpan<byte> text)
    {
        ref var start = ref MemoryMarshal.GetReference(text);
        var length = text.Length;
        var i = 0;
        if (Vector256.IsHardwareAccelerated && length >= Vector256<byte>.Count)
        {
            var last = length - Vector256<byte>.Count;
            while (true)
            {
                // The last block may overlap the one before; a hit there before i cannot exist, so the first is the right one.
                var offset = Math.Min(i, last);
                var block = Vector256.LoadUnsafe(ref start, (nuint)offset);
                var hits = Vector256.Equals(block, Vector256.Create((byte)'"'))
                    | Vector256.Equals(block, Vector256.Create((byte)'\\'))
                    | Vector256.LessThan(block, Vector256.Create((byte)0x20));
                if (hits != Vector256<byte>.Zero)
                {
                    return offset + BitOperations.TrailingZeroCount(hits.ExtractMostSignificantBits());
                }

                if (offset == last)
                {
                    return -1;
                }

                i += Vector256<byte>.Count;
            }
        }

        if (Vector128.IsHardwareAccelerated && length >= Vector128<byte>.Count)
        {
            var last = length - Vector128<byte>.Count;
            while (true)
            {
                var offset = Math.Min(i, last);
                var block = Vector128.LoadUnsafe(ref start, (nuint)offset);
                var hits = Vector128.Equals(block, Vector128.Create((byte)'"'))
                    | Vector128.Equals(block, Vector128.Create((byte)'\\'))
                    | Vector128.LessThan(block, Vector128.Create((byte)0x20));
                if (hits != Vector128<byte>.Zero)
                {
                    return offset + BitOperations.TrailingZeroCount(hits.ExtractMostSignificantBits());
                }

                if (offset == last)
                {
                    return -1;
                }

                i += Vector128<byte>.Count;
            }
        }

        for (; i < length; i++)
        {
            if (IsSpecial(text[i]))
            {
                return i;
            }
        }

        return -1;
    }

    public static bool IsSpecial(byte value) => value < 0x20 || value == (byte)'"' || value == (byte)'\\';

    /// <summary>Whether JSON has a two-character escape for <paramref name="value"/> (\b \t \n \f \r, besides \" and \\).</summary>
    public static bool HasShortEscape(byte value) => value is (byte)'\b' or (byte)'\t' or (byte)'\n' or (byte)'\f' or (byte)'\r' or (byte)'"' or (byte)'\\';
}
