using System.Text;
using Curation.Filters.Quality;

namespace Curation.Filters.Tests.Quality;

/// <summary>
/// The n-gram counts of gopher-repetition, which look up only the n-grams that can repeat, against a plain count of
/// every n-gram as a string (datatrove's <c>find_top_duplicate</c> and <c>find_all_duplicate</c>) for every length.
/// </summary>
public class RepeatableNgramsTests
{
    private const int LongestNgram = 10;

    private const string Prose =
        "The river runs through the old town and past the mill that has stood there for two hundred years. " +
        "In spring the water rises with the melting snow, and the miller opens the gates to let it through.";

    public static TheoryData<string> Texts() =>
    [
        "", "a", "a a", "a b", "a a a", "a b a b a", "ab c ab c", "a bc ab c a bc ab c", Prose, Prose + " " + Prose,
        .. Enumerable.Range(0, 150).Select(seed => SmallVocabulary(new Random(seed))),
        .. Enumerable.Range(0, 100).Select(seed => RepeatedLines(new Random(1000 + seed))),
        .. Enumerable.Range(0, 50).Select(seed => RandomProse(new Random(2000 + seed))),
        SmallVocabulary(new Random(3000), words: 20_000),
        RepeatedLines(new Random(3001), lines: 2_000),
        RandomProse(new Random(3002), words: 20_000),
        .. Enumerable.Range(0, 100).Select(seed => Prefixes(new Random(4000 + seed))),
        Prefixes(new Random(4100), words: 20_000),
    ];

    [Theory]
    [MemberData(nameof(Texts))]
    public void EveryLength_CountsAsAPlainCountOfAllNgrams(string text)
    {
        var words = Words(text);
        var ngrams = RepeatableNgrams.Of(WordHashes.Of(text));
        for (var n = 2; n <= LongestNgram; n++)
        {
            ngrams.MoveTo(n);
            Assert.Equal(n, ngrams.Length);
            Assert.True(TopCharacters(words, n) == ngrams.TopCharacters(), $"top {n}-gram");
            Assert.True(RepeatedCharacters(words, n) == ngrams.RepeatedCharacters(), $"repeated {n}-grams");
        }
    }

    [Theory]
    [MemberData(nameof(Texts))]
    public void AShorterLength_IsCountedAgainFromPairs(string text)
    {
        var words = Words(text);
        var ngrams = RepeatableNgrams.Of(WordHashes.Of(text));
        ngrams.MoveTo(LongestNgram);
        for (var n = LongestNgram - 1; n >= 2; n--)
        {
            ngrams.MoveTo(n);
            Assert.Equal(n, ngrams.Length);
            Assert.True(RepeatedCharacters(words, n) == ngrams.RepeatedCharacters(), $"repeated {n}-grams");
            Assert.True(TopCharacters(words, n) == ngrams.TopCharacters(), $"top {n}-gram");
        }
    }

    // As datatrove splits: on every char.IsWhiteSpace character.
    private static List<string> Words(string text) => [.. text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)];

    private static string Ngram(List<string> words, int start, int n) => string.Join(' ', words.Skip(start).Take(n));

    private static int TopCharacters(List<string> words, int n)
    {
        var counts = new Dictionary<string, int>();
        var order = new List<string>();
        for (var start = 0; start + n <= words.Count; start++)
        {
            var ngram = Ngram(words, start, n);
            if (counts.TryAdd(ngram, 1))
            {
                order.Add(ngram);
            }
            else
            {
                counts[ngram]++;
            }
        }

        var top = order.Count == 0 ? null : order.MaxBy(ngram => counts[ngram]);
        return top is not null && counts[top] > 1 ? top.Length * counts[top] : 0;
    }

    private static int RepeatedCharacters(List<string> words, int n)
    {
        var seen = new HashSet<string>();
        var repeated = 0;
        for (var start = 0; start + n <= words.Count;)
        {
            var ngram = Ngram(words, start, n);
            if (seen.Add(ngram))
            {
                start++;
            }
            else
            {
                repeated += ngram.Length - (n - 1);
                start += n;
            }
        }

        return repeated;
    }

    private static string SmallVocabulary(Random random, int words = -1)
    {
        string[] vocabulary = ["a", "b", "ab", "ba", "c", "bc"];
        var size = random.Next(1, vocabulary.Length + 1);
        var text = new StringBuilder();
        for (var i = words < 0 ? random.Next(0, 400) : words; i > 0; i--)
        {
            text.Append(vocabulary[random.Next(size)]).Append(random.Next(8) == 0 ? "\n" : " ");
        }

        return text.ToString();
    }

    private static string RepeatedLines(Random random, int lines = -1)
    {
        var distinct = Enumerable.Range(0, random.Next(1, 6))
            .Select(_ => string.Join(' ', Enumerable.Range(0, random.Next(1, 13)).Select(_ => "w" + random.Next(20))))
            .ToArray();
        var text = new StringBuilder();
        for (var i = lines < 0 ? random.Next(1, 50) : lines; i > 0; i--)
        {
            text.Append(distinct[random.Next(distinct.Length)]).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>
    /// Words of 1 to 12 characters that share prefixes or differ only in their last character (also a NUL, which is
    /// not whitespace), some outside ASCII, between every kind of whitespace (also outside ASCII), so that words
    /// cross the 64-character groups the split works in, end the text, and differ where a short word's two halves meet.
    /// </summary>
    private static string Prefixes(Random random, int words = -1)
    {
        const string letters = "abcdefghijkl";
        string[] separators = [" ", " ", " ", "  ", "\t", "\n", "\r\n", "\u00A0", "\u2003", "\u0085", "\u3000", "\u000B"];
        var size = random.Next(1, 13);
        var text = new StringBuilder();
        for (var i = words < 0 ? random.Next(0, 300) : words; i > 0; i--)
        {
            var word = letters[..random.Next(1, size + 1)];
            word = random.Next(5) switch
            {
                0 => word[..^1] + "X",
                1 => word + "\0",
                2 => word[..^1] + "é",
                _ => word,
            };
            text.Append(word).Append(separators[random.Next(separators.Length)]);
        }

        // Half the texts end on a word, not on whitespace.
        return random.Next(2) == 0 ? text.ToString() : text.ToString().TrimEnd();
    }

    private static string RandomProse(Random random, int words = -1)
    {
        var vocabulary = Prose.Split(' ');
        var text = new StringBuilder();
        for (var i = words < 0 ? random.Next(0, 600) : words; i > 0; i--)
        {
            // Mostly the prose in order, with jumps: runs of words repeat as in real text.
            var at = random.Next(4) == 0 ? random.Next(vocabulary.Length) : i % vocabulary.Length;
            text.Append(vocabulary[at]).Append(' ');
        }

        return text.ToString();
    }
}
