using System.Buffers;

namespace Curation.Core.Unicode;

/// <summary>
/// Searches for UTF-16 code units in a range through <see cref="SearchValues{T}"/> rather than the generic
/// <c>IndexOfAnyInRange</c>: this assembly is precompiled (ReadyToRun), and its precompiled calls to the generic
/// range search boxed a char on every call (about 3.7 million boxes on 256 MB of chat, measured) until the JIT
/// replaced them.
/// </summary>
internal static class CharRanges
{
    /// <summary>Lone or paired halves of surrogate pairs: U+D800 to U+DFFF.</summary>
    public static readonly SearchValues<char> Surrogates = From('\uD800', '\uDFFF');

    /// <summary>U+00A0 and up: where NFKC and NFKD may change text.</summary>
    public static readonly SearchValues<char> FromNoBreakSpace = From('\u00A0', '\uFFFF');

    /// <summary>U+00C0 and up: where NFD may change text.</summary>
    public static readonly SearchValues<char> FromLatin1Letters = From('\u00C0', '\uFFFF');

    /// <summary>U+0300 and up: where NFC may change text.</summary>
    public static readonly SearchValues<char> FromCombiningMarks = From('\u0300', '\uFFFF');

    private static SearchValues<char> From(char first, char last)
    {
        var values = new char[last - first + 1];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (char)(first + i);
        }

        return SearchValues.Create(values);
    }
}
