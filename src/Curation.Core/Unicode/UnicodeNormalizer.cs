using System.Buffers;
using Curation.Core.Text;
using static Curation.Core.Unicode.NormalizationData;

namespace Curation.Core.Unicode;

/// <summary>
/// NFC and NFKC (UAX #15) over pinned tables, independent of ICU and of InvariantGlobalization, under which
/// <see cref="string.Normalize()"/> leaves non-ASCII text unchanged. Input must hold no lone surrogate.
/// </summary>
internal static class UnicodeNormalizer
{
    private const int CombiningClassShift = 21;
    private const int CodePointMask = (1 << CombiningClassShift) - 1;

    /// <summary>
    /// The UAX #15 quick check, sharpened for Maybe starters: true means the text is surely in the form; false means
    /// it may not be (<see cref="Normalize(string, bool)"/> and compare to be sure).
    /// </summary>
    public static bool IsNormalized(ReadOnlySpan<char> text, bool compatibility)
    {
        // Below U+0300 (U+00A0 for NFKC) every code point is a starter that the form leaves alone.
        var threshold = compatibility ? '\u00A0' : '\u0300';
        var i = text.IndexOfAny(compatibility ? CharRanges.FromNoBreakSpace : CharRanges.FromCombiningMarks);
        if (i < 0)
        {
            return true;
        }

        var noMask = compatibility ? NfkcNo : NfcNo;
        var previous = i > 0 ? text[i - 1] : -1;
        var lastClass = 0;
        while (i < text.Length)
        {
            int codePoint = text[i];
            var width = 1;
            if (codePoint < threshold)
            {
                previous = codePoint;
                lastClass = 0;
                i++;
                continue;
            }

            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                codePoint = char.ConvertToUtf32(text[i], text[i + 1]);
                width = 2;
            }

            var properties = Properties(codePoint);
            var combiningClass = properties & CombiningClassMask;
            if ((properties & noMask) != 0 || (combiningClass != 0 && lastClass > combiningClass))
            {
                return false;
            }

            if ((properties & Maybe) != 0)
            {
                // A combining mark that may compose needs the full algorithm (reordering can change what it meets);
                // a starter that may compose only ever joins the code point right before it.
                if (combiningClass != 0 || (previous >= 0 && TryCompose(previous, codePoint, out _)))
                {
                    return false;
                }
            }

            previous = codePoint;
            lastClass = combiningClass;
            i += width;
        }

        return true;
    }

    /// <summary>The NFC (or NFKC) form of <paramref name="text"/>; the same instance when it is already in that form.</summary>
    public static string Normalize(string text, bool compatibility)
    {
        if (IsNormalized(text, compatibility))
        {
            return text;
        }

        var output = new PooledCharBuffer(text.Length + 16);
        try
        {
            Normalize(text, compatibility, ref output);
            return output.Span.ToString();
        }
        finally
        {
            output.Dispose();
        }
    }

    /// <summary>The NFD (or NFKD) form of <paramref name="text"/>; the same instance when nothing decomposes.</summary>
    public static string Decompose(string text, bool compatibility)
    {
        // Below U+00C0 (U+00A0 for NFKD) nothing decomposes and nothing is a combining mark.
        if (text.AsSpan().IndexOfAny(compatibility ? CharRanges.FromNoBreakSpace : CharRanges.FromLatin1Letters) < 0)
        {
            return text;
        }

        var buffer = ArrayPool<int>.Shared.Rent(Math.Max(text.Length + 16, 64));
        var output = new PooledCharBuffer(text.Length + 16);
        try
        {
            var count = Decompose(text, compatibility, ref buffer);
            foreach (var packed in buffer.AsSpan(0, count))
            {
                output.AppendCodePoint(packed & CodePointMask);
            }

            return output.Span.ToString();
        }
        finally
        {
            ArrayPool<int>.Shared.Return(buffer);
            output.Dispose();
        }
    }

    /// <summary>Appends the NFC (or NFKC) form of <paramref name="text"/> to <paramref name="output"/>.</summary>
    /// <remarks>
    /// Runs of code points below the threshold are copied as they are and only the runs around the others go
    /// through decomposition and composition: such a code point is a starter that never composes with what precedes
    /// it, so the text can be split before it. Mostly-ASCII text with a few accents normalises at copy speed.
    /// </remarks>
    public static void Normalize(ReadOnlySpan<char> text, bool compatibility, ref PooledCharBuffer output)
    {
        var changing = compatibility ? CharRanges.FromNoBreakSpace : CharRanges.FromCombiningMarks;
        var position = 0;
        while (position < text.Length)
        {
            var next = text[position..].IndexOfAny(changing);
            if (next < 0)
            {
                output.Append(text[position..]);
                return;
            }

            // The starter just before the first code point at or above the threshold may compose with what follows.
            var start = position + Math.Max(next - 1, 0);
            output.Append(text[position..start]);
            var end = text[(position + next)..].IndexOfAnyExcept(changing);
            end = end < 0 ? text.Length : position + next + end;
            NormalizeSegment(text[start..end], compatibility, ref output);
            position = end;
        }
    }

    private static void NormalizeSegment(ReadOnlySpan<char> text, bool compatibility, ref PooledCharBuffer output)
    {
        var buffer = ArrayPool<int>.Shared.Rent(Math.Max(text.Length + 16, 64));
        try
        {
            var count = Decompose(text, compatibility, ref buffer);
            count = Compose(buffer.AsSpan(0, count));
            foreach (var packed in buffer.AsSpan(0, count))
            {
                output.AppendCodePoint(packed & CodePointMask);
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(buffer);
        }
    }

    /// <summary>Full decomposition in canonical order, each code point packed with its combining class.</summary>
    private static int Decompose(ReadOnlySpan<char> text, bool compatibility, ref int[] buffer)
    {
        var count = 0;
        Span<int> jamo = stackalloc int[3];
        foreach (var rune in text.EnumerateRunes())
        {
            var codePoint = rune.Value;
            if (IsHangulSyllable(codePoint))
            {
                var parts = DecomposeHangul(codePoint, jamo);
                for (var p = 0; p < parts; p++)
                {
                    AppendOrdered(ref buffer, ref count, jamo[p]);
                }

                continue;
            }

            var decomposes = compatibility ? HasCanonical | HasCompatibility : HasCanonical;
            if ((Properties(codePoint) & decomposes) == 0)
            {
                AppendOrdered(ref buffer, ref count, codePoint);
                continue;
            }

            foreach (var part in Decomposition(codePoint, compatibility).EnumerateRunes())
            {
                AppendOrdered(ref buffer, ref count, part.Value);
            }
        }

        return count;
    }

    /// <summary>Appends one code point, moving a combining mark back past marks of a higher class (canonical ordering).</summary>
    private static void AppendOrdered(ref int[] buffer, ref int count, int codePoint)
    {
        if (count == buffer.Length)
        {
            var larger = ArrayPool<int>.Shared.Rent(buffer.Length * 2);
            buffer.AsSpan(0, count).CopyTo(larger);
            ArrayPool<int>.Shared.Return(buffer);
            buffer = larger;
        }

        var combiningClass = CombiningClass(codePoint);
        var position = count;
        if (combiningClass != 0)
        {
            while (position > 0 && (buffer[position - 1] >> CombiningClassShift) > combiningClass)
            {
                buffer[position] = buffer[position - 1];
                position--;
            }
        }

        buffer[position] = codePoint | (combiningClass << CombiningClassShift);
        count++;
    }

    /// <summary>Canonical composition in place; returns the new length.</summary>
    private static int Compose(Span<int> sequence)
    {
        var starter = -1;
        var lastClass = 0;
        var written = 0;
        foreach (var packed in sequence)
        {
            var codePoint = packed & CodePointMask;
            var combiningClass = packed >> CombiningClassShift;
            if (starter >= 0)
            {
                // Not blocked: nothing between the starter and this code point, or only marks of a lower class.
                var adjacent = written == starter + 1;
                if ((adjacent || lastClass < combiningClass)
                    && TryCompose(sequence[starter] & CodePointMask, codePoint, out var composite))
                {
                    sequence[starter] = composite;
                    continue;
                }
            }

            if (combiningClass == 0)
            {
                starter = written;
            }
            else
            {
                lastClass = combiningClass;
            }

            sequence[written++] = packed;
        }

        return written;
    }
}
