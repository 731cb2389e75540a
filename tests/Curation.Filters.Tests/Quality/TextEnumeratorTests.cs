using System.Text;
using System.Text.RegularExpressions;
using Curation.Filters.Quality.Text;

namespace Curation.Filters.Tests.Quality;

/// <summary>The span enumerators against the string splits and regular expressions they replace.</summary>
public partial class TextEnumeratorTests
{
    private static readonly string[] EdgeTexts =
    [
        "", " ", "\n", "\n\n", "\n\n\n", "a", "\na", "a\n", "\n\na\n\n", "a\nb", "a\n\nb", "a\n\n\nb", "a\n \nb", "a\r\nb\r\n\r\nc",
        " \t\u00A0\u2028\u3000x\u0085y ", "𝔘𝔫𝔦 😀\n\n😀", "\uD800 \uDC00", "end.", "end.\"", "end.\"x", "a!? b", "..", "x.y", "?!'\n",
        new string('w', 3000) + " " + new string('\n', 5),
    ];

    public static TheoryData<string> Texts() => [.. EdgeTexts.Concat(RandomTexts(300, seed: 13)).Concat(LongWordTexts(100, seed: 29))];

    [Theory]
    [MemberData(nameof(Texts))]
    public void Words_AreSplitOnWhitespaceWithoutEmptyEntries(string text)
    {
        var words = new List<string>();
        var enumerator = new WordEnumerator(text);
        while (enumerator.MoveNext())
        {
            Assert.Equal(enumerator.Current.ToString(), text.Substring(enumerator.Start, enumerator.Current.Length));
            words.Add(enumerator.Current.ToString());
        }

        Assert.Equal(text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries), words);
        Assert.Equal(words.Count, WordEnumerator.Count(text));
    }

    [Theory]
    [MemberData(nameof(Texts))]
    public void Lines_AreSplitOnEveryNewline(string text)
    {
        var lines = new List<string>();
        var enumerator = new LineEnumerator(text);
        while (enumerator.MoveNext())
        {
            Assert.Equal(enumerator.Current.ToString(), text.Substring(enumerator.Start, enumerator.Current.Length));
            lines.Add(enumerator.Current.ToString());
        }

        Assert.Equal(text.Split('\n'), lines);
    }

    [Theory]
    [MemberData(nameof(Texts))]
    public void NewlineRuns_SplitAsTheRegularExpressions(string text)
    {
        Assert.Equal(OneOrMoreNewlines().Split(text), Pieces(text, 1));
        Assert.Equal(TwoOrMoreNewlines().Split(text), Pieces(text, 2));
        Assert.Equal(TwoOrMoreNewlines().Split(text.Trim()), Pieces(text.Trim(), 2));
    }

    [Theory]
    [MemberData(nameof(Texts))]
    public void SentenceEnds_CountAsTheRegularExpression(string text)
    {
        foreach (var line in text.Split('\n'))
        {
            Assert.Equal(SentenceEndPattern().Count(line), SentenceEnds.Count(line));
            Assert.Equal(SentenceEndPattern().Count(line.Trim()), SentenceEnds.Count(line.Trim()));
        }
    }

    [Fact]
    public void SentenceEnds_TreatEveryWhitespaceCharacterAsTheRegularExpressionsBackslashS()
    {
        for (var c = 0; c <= char.MaxValue; c++)
        {
            if (char.IsSurrogate((char)c) || c == '\n')
            {
                continue;
            }

            var line = $"end.{(char)c}next. more.\"{(char)c}x";
            Assert.True(SentenceEndPattern().Count(line) == SentenceEnds.Count(line), $"U+{c:X4}");
        }
    }

    private static List<string> Pieces(string text, int minimumRun)
    {
        var pieces = new List<string>();
        var enumerator = new NewlineRunEnumerator(text, minimumRun);
        while (enumerator.MoveNext())
        {
            Assert.Equal(enumerator.Current.ToString(), text.Substring(enumerator.Start, enumerator.Current.Length));
            pieces.Add(enumerator.Current.ToString());
        }

        return pieces;
    }

    private static IEnumerable<string> RandomTexts(int count, int seed)
    {
        const string alphabet = "ab .!?\"'\n\n\r\t\u00A0#…-";
        var random = new Random(seed);
        for (var i = 0; i < count; i++)
        {
            var text = new StringBuilder();
            var length = random.Next(0, 40);
            for (var k = 0; k < length; k++)
            {
                text.Append(random.Next(20) == 0 ? "😀" : alphabet[random.Next(alphabet.Length)].ToString());
            }

            yield return text.ToString();
        }
    }

    // Words of up to 40 characters, so that whole 16-character blocks hold no separator, between every kind of
    // whitespace (ASCII, no-break and em spaces, the next-line control) and characters that only look like it.
    private static IEnumerable<string> LongWordTexts(int count, int seed)
    {
        const string separators = "  \t\n\r\v\f\u00A0\u2003\u0085\u001C\u200B";
        var random = new Random(seed);
        for (var i = 0; i < count; i++)
        {
            var text = new StringBuilder();
            while (text.Length < 150)
            {
                for (var length = random.Next(0, 41); length > 0; length--)
                {
                    text.Append(random.Next(30) == 0 ? '\u00E9' : (char)('a' + random.Next(26)));
                }

                text.Append(separators[random.Next(separators.Length)]);
            }

            yield return text.ToString();
        }
    }

    [GeneratedRegex(@"\n+")]
    private static partial Regex OneOrMoreNewlines();

    [GeneratedRegex(@"\n{2,}")]
    private static partial Regex TwoOrMoreNewlines();

    [GeneratedRegex(@"[.!?]+[""']?(?=\s|$)")]
    private static partial Regex SentenceEndPattern();
}
