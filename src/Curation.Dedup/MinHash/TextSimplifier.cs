using System.Buffers;

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

    private readonly bool _lowercase;
    private readonly bool _stripPunctuation;
    private readonly bool _punctuationAsSpace;
    private readonly bool _foldDigits;
    private readonly bool _stripDiacritics;
    private readonly bool _collapseWhitespace;

    // Map of each ASCII character, computed once: most text is mostly ASCII.
    private readonly int[] _ascii;

    public TextSimplifier(SimplifyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _lowercase = options.Lowercase;
        _stripPunctuation = options.StripPunctuation;
        _punctuationAsSpace = options.PunctuationAsSpace;
        _foldDigits = options.FoldDigits;
        _stripDiacritics = options.StripDiacritics;
        _collapseWhitespace = options.CollapseWhitespace;
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
        foreach (var c in text)
        {
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

        return written;
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
