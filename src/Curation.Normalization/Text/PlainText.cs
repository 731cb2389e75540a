using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Curation.Normalization.Text;

/// <summary>
/// One vectorised pass that proves the commonest turn needs nothing: printable ASCII, tabs and LFs only, and no
/// space or tab right before an LF. Such text has nothing for the character or Unicode passes, and trimming can only
/// change it at its two ends. Without it the same answer takes three passes (the character scan and two searches).
/// </summary>
internal static class PlainText
{
    /// <summary>
    /// True when every char of <paramref name="text"/> is printable ASCII, tab or LF and no space or tab is followed
    /// by an LF; false when that is not so or cannot be told cheaply.
    /// </summary>
    public static bool IsPlainWithoutBlankBeforeLf(ReadOnlySpan<char> text)
    {
        if (!Vector256.IsHardwareAccelerated || text.Length < Vector256<ushort>.Count + 1)
        {
            return false;
        }

        ref var start = ref Unsafe16(text);
        var last = text.Length - Vector256<ushort>.Count - 1;
        var i = 0;
        while (true)
        {
            // Blocks at i and i + 1: the second shows each char's successor. The last pair may overlap the one before.
            var offset = Math.Min(i, last);
            var block = Vector256.LoadUnsafe(ref start, (nuint)offset);
            var next = Vector256.LoadUnsafe(ref start, (nuint)offset + 1);
            if (!IsPlain(block) || !IsPlain(next))
            {
                return false;
            }

            var blank = Vector256.Equals(block, Vector256.Create((ushort)' ')) | Vector256.Equals(block, Vector256.Create((ushort)'\t'));
            if ((blank & Vector256.Equals(next, Vector256.Create((ushort)'\n'))) != Vector256<ushort>.Zero)
            {
                return false;
            }

            if (offset == last)
            {
                return true;
            }

            i += Vector256<ushort>.Count;
        }
    }

    /// <summary>Every lane is U+0020..U+007E, a tab or an LF.</summary>
    private static bool IsPlain(Vector256<ushort> block)
    {
        var printable = Vector256.LessThan(block - Vector256.Create((ushort)0x20), Vector256.Create((ushort)0x5F));
        var allowed = printable | Vector256.Equals(block, Vector256.Create((ushort)'\t')) | Vector256.Equals(block, Vector256.Create((ushort)'\n'));
        return allowed == Vector256<ushort>.AllBitsSet;
    }

    private static ref ushort Unsafe16(ReadOnlySpan<char> text) => ref MemoryMarshal.GetReference(MemoryMarshal.Cast<char, ushort>(text));
}
