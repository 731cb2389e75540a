using Curation.Filters.Quality.Text;

namespace Curation.Filters.Quality;

/// <summary>What Gopher's quality rules count over a text's words, in one pass.</summary>
internal readonly record struct GopherWordCounts(int Total, int Content, long ContentCharacters, int Alphabetic, int StopWords)
{
    private const int LongestStopWord = 4;

    public static GopherWordCounts Of(ReadOnlySpan<char> text)
    {
        int total = 0, content = 0, alphabetic = 0, stopWords = 0;
        long contentCharacters = 0;
        foreach (var word in new WordEnumerator(text))
        {
            total++;
            if (HasContent(word))
            {
                content++;
                contentCharacters += word.Length;
            }

            if (HasLetter(word))
            {
                alphabetic++;
            }

            if (IsStopWord(word))
            {
                stopWords++;
            }
        }

        return new(total, content, contentCharacters, alphabetic, stopWords);
    }

    // A word of punctuation and symbols only (a dash, an emoji's halves are neither) is not a word to Gopher.
    private static bool HasContent(ReadOnlySpan<char> word)
    {
        foreach (var c in word)
        {
            if (c < AsciiClasses.Count ? (AsciiClasses.Of[c] & AsciiClasses.Content) != 0 : !char.IsPunctuation(c) && !char.IsSymbol(c))
            {
                return true;
            }
        }

        return false;
    }

    private static bool HasLetter(ReadOnlySpan<char> word)
    {
        foreach (var c in word)
        {
            if (c < AsciiClasses.Count ? (AsciiClasses.Of[c] & AsciiClasses.Letter) != 0 : char.IsLetter(c))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>the, be, to, of, and, that, have, with, in any case (invariant lower-casing, as the rule always did).</summary>
    private static bool IsStopWord(ReadOnlySpan<char> word)
    {
        if (word.Length is < 2 or > LongestStopWord)
        {
            return false;
        }

        Span<char> lower = stackalloc char[LongestStopWord];
        lower = lower[..word.Length];
        if (System.Text.Ascii.ToLower(word, lower, out _) != System.Buffers.OperationStatus.Done)
        {
            word.ToLowerInvariant(lower);
        }

        return lower is "the" or "be" or "to" or "of" or "and" or "that" or "have" or "with";
    }

    /// <summary>The character classes the rules ask about, tabulated for ASCII from the same <see cref="char"/> methods.</summary>
    private static class AsciiClasses
    {
        public const int Count = 128;
        public const byte Content = 1;
        public const byte Letter = 2;

        public static readonly byte[] Of = [.. Enumerable.Range(0, Count).Select(i => (char)i).Select(c =>
            (byte)((!char.IsPunctuation(c) && !char.IsSymbol(c) ? Content : 0) | (char.IsLetter(c) ? Letter : 0)))];
    }
}
