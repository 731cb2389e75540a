namespace Curation.Dedup.MinHash;

/// <summary>
/// Base letters of the precomposed Latin letters. With invariant globalization <see cref="string.Normalize()"/> cannot
/// decompose, so the canonical decompositions of U+00C0–U+017F are tabled here instead.
/// </summary>
internal static class LatinDiacritics
{
    private const char First = '\u00C0';

    // Generated from the Unicode NFD of each code point, combining marks removed; a letter without a canonical
    // decomposition (Æ, Ø, Đ, Ł, Œ, ...) maps to itself.
    private const string BaseLetters =
        "AAAAAAÆCEEEEIIII" + // U+00C0
        "ÐNOOOOO×ØUUUUYÞß" + // U+00D0
        "aaaaaaæceeeeiiii" + // U+00E0
        "ðnooooo÷øuuuuyþy" + // U+00F0
        "AaAaAaCcCcCcCcDd" + // U+0100
        "ĐđEeEeEeEeEeGgGg" + // U+0110
        "GgGgHhĦħIiIiIiIi" + // U+0120
        "IıĲĳJjKkĸLlLlLlĿ" + // U+0130
        "ŀŁłNnNnNnŉŊŋOoOo" + // U+0140
        "OoŒœRrRrRrSsSsSs" + // U+0150
        "SsTtTtŦŧUuUuUuUu" + // U+0160
        "UuUuWwYyYZzZzZzſ"; // U+0170

    /// <summary>True for the combining diacritical marks (U+0300–U+036F) that decomposed text carries its accents in.</summary>
    public static bool IsCombiningMark(char c) => c is >= '\u0300' and <= '\u036F';

    /// <summary>The letter without its accents, or <paramref name="c"/> itself.</summary>
    public static char BaseOf(char c)
    {
        var offset = (uint)(c - First);
        return offset < BaseLetters.Length ? BaseLetters[(int)offset] : c;
    }
}
