using System.Buffers;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Curation.Dedup.MinHash;

/// <summary>
/// Rewrites text into the form near-duplicate detection compares (see <see cref="SimplifyOptions"/>). Each character
/// maps to at most one character, so the result is never longer than the input. Immutable, so one instance can serve
/// many threads.
/// </summary>
public sealed class TextSimplifier
{
    private const int AsciiCount = 128;
    private const int Removed = -1;
    private const int CollapsedSpace = -2;
    private const int BlockChars = 16;
    private const int WideBlockChars = 32;

    // Lane i takes lane i + 1: closes up a dropped lane.
    private static readonly Vector256<ushort> NextLane = Vector256.Create((ushort)1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 15);
    private static readonly Vector512<ushort> NextWideLane = Vector512.Create(
        (ushort)1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 31);

    private readonly bool _lowercase;
    private readonly bool _stripPunctuation;
    private readonly bool _punctuationAsSpace;
    private readonly bool _foldDigits;
    private readonly bool _stripDiacritics;
    private readonly bool _collapseWhitespace;
    private readonly bool _vectorBlocks;
    private readonly bool _wideBlocks;
    private readonly bool _punctuationSeparates;
    private readonly bool _punctuationKept;

    // Map of each ASCII character, computed once: most text is mostly ASCII.
    private readonly int[] _ascii;

    public TextSimplifier(SimplifyOptions options)
        : this(options, Vector512.IsHardwareAccelerated)
    {
    }

    /// <param name="wideBlocks">Whether to try 32-character blocks (AVX-512) before 16-character ones.</param>
    internal TextSimplifier(SimplifyOptions options, bool wideBlocks)
    {
        ArgumentNullException.ThrowIfNull(options);
        _lowercase = options.Lowercase;
        _stripPunctuation = options.StripPunctuation;
        _punctuationAsSpace = options.PunctuationAsSpace;
        _foldDigits = options.FoldDigits;
        _stripDiacritics = options.StripDiacritics;
        _collapseWhitespace = options.CollapseWhitespace;
        _vectorBlocks = _collapseWhitespace && Vector256.IsHardwareAccelerated;
        _wideBlocks = _vectorBlocks && wideBlocks;
        _punctuationSeparates = _stripPunctuation && _punctuationAsSpace;
        _punctuationKept = !_stripPunctuation;
        _ascii = new int[AsciiCount];
        for (var c = '\0'; c < AsciiCount; c++)
        {
            _ascii[c] = Map(c);
        }
    }

    /// <summary>The simplified text; <paramref name="text"/> itself when nothing changed.</summary>
    public string Simplify(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var buffer = ArrayPool<char>.Shared.Rent(text.Length);
        try
        {
            var simplified = buffer.AsSpan(0, Simplify(text, buffer));
            return simplified.SequenceEqual(text) ? text : new string(simplified);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }

    /// <summary>Writes the simplified text to <paramref name="destination"/> and returns its length.</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <paramref name="text"/>.</exception>
    public int Simplify(ReadOnlySpan<char> text, Span<char> destination)
    {
        if (destination.Length < text.Length)
        {
            throw new ArgumentException($"needs room for {text.Length} chars, has {destination.Length}", nameof(destination));
        }

        var written = 0;
        var spacePending = false;
        var read = 0;
        while (read < text.Length)
        {
            if (_wideBlocks && read + WideBlockChars <= text.Length && TryWideBlock(text.Slice(read, WideBlockChars), destination, ref written, ref spacePending))
            {
                read += WideBlockChars;
                continue;
            }

            if (_vectorBlocks && read + BlockChars <= text.Length && TryBlock(text.Slice(read, BlockChars), destination, ref written, ref spacePending))
            {
                read += BlockChars;
                continue;
            }

            // A block the vector path does not take, one character at a time.
            for (var end = Math.Min(read + BlockChars, text.Length); read < end; read++)
            {
                var c = text[read];
                var mapped = c < AsciiCount ? _ascii[c] : Map(c);
                if (mapped == Removed)
                {
                    continue;
                }

                if (mapped == CollapsedSpace)
                {
                    // Written only before the next kept character, which trims both ends.
                    spacePending = written > 0;
                    continue;
                }

                if (spacePending)
                {
                    destination[written++] = ' ';
                    spacePending = false;
                }

                destination[written++] = (char)mapped;
            }
        }

        return written;
    }

    /// <summary>
    /// Simplifies a block of <see cref="BlockChars"/> characters in vector lanes when every character is ASCII and
    /// either kept (letters, digits; punctuation when it is kept) or a separator (whitespace; punctuation when it is a
    /// space). Each run of separators becomes one space, dropped at the start of the text and left pending at the end
    /// of the block, as the character path does. Otherwise changes nothing and returns false.
    /// </summary>
    private bool TryBlock(ReadOnlySpan<char> block, Span<char> destination, ref int written, ref bool spacePending)
    {
        var chars = Vector256.Create(MemoryMarshal.Cast<char, ushort>(block));
        var lower = Vector256.LessThanOrEqual(chars - Vector256.Create((ushort)'a'), Vector256.Create((ushort)('z' - 'a')));
        var upper = Vector256.LessThanOrEqual(chars - Vector256.Create((ushort)'A'), Vector256.Create((ushort)('Z' - 'A')));
        var digit = Vector256.LessThanOrEqual(chars - Vector256.Create((ushort)'0'), Vector256.Create((ushort)('9' - '0')));
        var alphanumeric = lower | upper | digit;
        var whiteSpace = Vector256.Equals(chars, Vector256.Create((ushort)' '))
            | Vector256.LessThanOrEqual(chars - Vector256.Create((ushort)'\t'), Vector256.Create((ushort)('\r' - '\t')));
        // Every printable ASCII character that is not a letter or digit is punctuation or a symbol.
        var punctuation = Vector256.LessThanOrEqual(chars - Vector256.Create((ushort)'!'), Vector256.Create((ushort)('~' - '!'))) & ~alphanumeric;
        var separator = _punctuationSeparates ? whiteSpace | punctuation : whiteSpace;
        var kept = _punctuationKept ? alphanumeric | punctuation : alphanumeric;
        if ((kept | separator) != Vector256<ushort>.AllBitsSet)
        {
            return false;
        }

        if (!PlanBlock(separator.ExtractMostSignificantBits(), BlockChars, destination, ref written, ref spacePending, out var dropped, out var count))
        {
            return true;
        }

        var mapped = chars;
        if (_lowercase)
        {
            mapped += upper & Vector256.Create((ushort)('a' - 'A'));
        }

        if (_foldDigits)
        {
            mapped = Vector256.ConditionalSelect(digit, Vector256.Create((ushort)'0'), mapped);
        }

        mapped = Vector256.ConditionalSelect(separator, Vector256.Create((ushort)' '), mapped);

        // Each dropped lane is closed up by moving the lanes above it down one, highest first so that the lower
        // dropped lanes stay where they are.
        for (var lanes = dropped; lanes != 0; lanes &= ~(1u << BitOperations.Log2(lanes)))
        {
            var above = Vector256.GreaterThanOrEqual(Vector256<ushort>.Indices, Vector256.Create((ushort)BitOperations.Log2(lanes)));
            mapped = Vector256.ConditionalSelect(above, Vector256.Shuffle(mapped, NextLane), mapped);
        }

        mapped.CopyTo(MemoryMarshal.Cast<char, ushort>(destination[written..]));
        written += count;
        return true;
    }

    /// <summary><see cref="TryBlock"/> for <see cref="WideBlockChars"/> characters: half the steps per character.</summary>
    private bool TryWideBlock(ReadOnlySpan<char> block, Span<char> destination, ref int written, ref bool spacePending)
    {
        var chars = Vector512.Create(MemoryMarshal.Cast<char, ushort>(block));
        var lower = Vector512.LessThanOrEqual(chars - Vector512.Create((ushort)'a'), Vector512.Create((ushort)('z' - 'a')));
        var upper = Vector512.LessThanOrEqual(chars - Vector512.Create((ushort)'A'), Vector512.Create((ushort)('Z' - 'A')));
        var digit = Vector512.LessThanOrEqual(chars - Vector512.Create((ushort)'0'), Vector512.Create((ushort)('9' - '0')));
        var alphanumeric = lower | upper | digit;
        var whiteSpace = Vector512.Equals(chars, Vector512.Create((ushort)' '))
            | Vector512.LessThanOrEqual(chars - Vector512.Create((ushort)'\t'), Vector512.Create((ushort)('\r' - '\t')));
        var punctuation = Vector512.LessThanOrEqual(chars - Vector512.Create((ushort)'!'), Vector512.Create((ushort)('~' - '!'))) & ~alphanumeric;
        var separator = _punctuationSeparates ? whiteSpace | punctuation : whiteSpace;
        var kept = _punctuationKept ? alphanumeric | punctuation : alphanumeric;
        if ((kept | separator) != Vector512<ushort>.AllBitsSet)
        {
            return false;
        }

        if (!PlanBlock((uint)separator.ExtractMostSignificantBits(), WideBlockChars, destination, ref written, ref spacePending, out var dropped, out var count))
        {
            return true;
        }

        var mapped = chars;
        if (_lowercase)
        {
            mapped += upper & Vector512.Create((ushort)('a' - 'A'));
        }

        if (_foldDigits)
        {
            mapped = Vector512.ConditionalSelect(digit, Vector512.Create((ushort)'0'), mapped);
        }

        mapped = Vector512.ConditionalSelect(separator, Vector512.Create((ushort)' '), mapped);
        for (var lanes = dropped; lanes != 0; lanes &= ~(1u << BitOperations.Log2(lanes)))
        {
            var above = Vector512.GreaterThanOrEqual(Vector512<ushort>.Indices, Vector512.Create((ushort)BitOperations.Log2(lanes)));
            mapped = Vector512.ConditionalSelect(above, Vector512.Shuffle(mapped, NextWideLane), mapped);
        }

        mapped.CopyTo(MemoryMarshal.Cast<char, ushort>(destination[written..]));
        written += count;
        return true;
    }

    /// <summary>
    /// Decides, from which of a block's <paramref name="width"/> lanes are separators, what the block writes: writes a
    /// pending space that goes before its first character, sets the space pending after it, and returns the lanes to
    /// drop and how many remain; false when the block is all separators and writes nothing.
    /// </summary>
    private static bool PlanBlock(uint separators, int width, Span<char> destination, ref int written, ref bool spacePending, out uint dropped, out int count)
    {
        var keptLanes = ~separators & (uint)((1UL << width) - 1);
        if (keptLanes == 0)
        {
            spacePending = written > 0;
            dropped = 0;
            count = 0;
            return false;
        }

        // Lanes up to the last kept character are written; a separator among them is dropped when it follows another
        // or when nothing is written yet. The separator run after the last kept character becomes a pending space.
        var lastKept = BitOperations.Log2(keptLanes);
        var throughLastKept = (uint)((2UL << lastKept) - 1);
        dropped = separators & ((separators << 1) | (written == 0 ? 1u : 0u)) & throughLastKept;
        count = BitOperations.PopCount(throughLastKept & ~dropped);

        // With a space pending, a separator in the first lane is that space.
        if (spacePending && (separators & 1) == 0)
        {
            destination[written++] = ' ';
        }

        spacePending = lastKept < width - 1;
        return true;
    }

    /// <summary>What <paramref name="c"/> becomes: a character, <see cref="Removed"/>, or <see cref="CollapsedSpace"/>.</summary>
    private int Map(char c)
    {
        if (_stripDiacritics)
        {
            if (LatinDiacritics.IsCombiningMark(c))
            {
                return Removed;
            }

            c = LatinDiacritics.BaseOf(c);
        }

        if (char.IsWhiteSpace(c))
        {
            return _collapseWhitespace ? CollapsedSpace : c;
        }

        if (_stripPunctuation && (char.IsPunctuation(c) || char.IsSymbol(c)))
        {
            return !_punctuationAsSpace ? Removed : _collapseWhitespace ? CollapsedSpace : ' ';
        }

        if (_lowercase)
        {
            c = char.ToLowerInvariant(c);
        }

        return _foldDigits && char.IsDigit(c) ? '0' : c;
    }
}
