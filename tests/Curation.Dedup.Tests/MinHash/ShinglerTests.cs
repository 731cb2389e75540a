using System.IO.Hashing;
using System.Text;
using Curation.Dedup.MinHash;

namespace Curation.Dedup.Tests.MinHash;

public class ShinglerTests
{
    private static ulong HashOf(string shingle) => XxHash3.HashToUInt64(Encoding.UTF8.GetBytes(shingle));

    private static ulong[] SetOf(params string[] shingles) => [.. shingles.Select(HashOf).Distinct().Order()];

    [Theory]
    [InlineData(ShingleUnit.Word)]
    [InlineData(ShingleUnit.Character)]
    public void Shingle_EmptyText_HasNoShingles(ShingleUnit unit)
    {
        Assert.Empty(new Shingler(3, unit).Shingle(""));
    }

    [Fact]
    public void Shingle_WhitespaceOnly_HasNoWords()
    {
        Assert.Empty(new Shingler().Shingle(" \t\n\u3000 "));
    }

    [Fact]
    public void Shingle_Words_AreConsecutiveNGramsJoinedBySingleSpaces()
    {
        var shingles = new Shingler(3).Shingle("the quick brown fox jumps");

        Assert.Equal(SetOf("the quick brown", "quick brown fox", "brown fox jumps"), shingles);
    }

    [Theory]
    [InlineData("one", "one")]
    [InlineData("  two   words ", "two words")]
    [InlineData("four\twords\r\nare\u00A0few", "four words are few")]
    public void Shingle_FewerWordsThanSize_IsOneShingleOfTheWholeText(string text, string whole)
    {
        Assert.Equal(SetOf(whole), new Shingler(5).Shingle(text));
    }

    [Fact]
    public void Shingle_ExactlySizeWords_IsOneShingle()
    {
        Assert.Equal(SetOf("a b c d e"), new Shingler(5).Shingle("a b c d e"));
        Assert.Equal(2, new Shingler(5).Shingle("a b c d e f").Length);
    }

    [Fact]
    public void Shingle_AnyWhitespaceSeparatesWords()
    {
        var shingler = new Shingler(2);

        var expected = shingler.Shingle("alpha beta gamma delta");
        Assert.Equal(expected, shingler.Shingle("\n alpha\t\tbeta\u3000gamma\u2003\u2003 delta \r\n"));
        Assert.Equal(expected, shingler.Shingle("alpha\u0085beta\u00A0gamma\u2029delta"));
    }

    [Fact]
    public void Shingle_IsASortedSet()
    {
        var shingles = new Shingler(2).Shingle("to be or not to be or not to be");

        Assert.Equal(SetOf("to be", "be or", "or not", "not to"), shingles);
        Assert.True(shingles.SequenceEqual(shingles.Distinct().Order()));
    }

    [Fact]
    public void Shingle_Words_KeepNonAsciiBytes()
    {
        var shingles = new Shingler(2).Shingle("caf\u00E9 \u65E5\u672C\u8A9E \U0001F600 na\u00EFve");

        Assert.Equal(SetOf("caf\u00E9 \u65E5\u672C\u8A9E", "\u65E5\u672C\u8A9E \U0001F600", "\U0001F600 na\u00EFve"), shingles);
    }

    [Fact]
    public void Shingle_Characters_CountScalarValuesNotChars()
    {
        var shingles = new Shingler(2, ShingleUnit.Character).Shingle("a\U0001F600\u00E9 b");

        Assert.Equal(SetOf("a\U0001F600", "\U0001F600\u00E9", "\u00E9 ", " b"), shingles);
    }

    [Fact]
    public void Shingle_Characters_ShortTextIsOneShingle()
    {
        Assert.Equal(SetOf("\U0001F600x"), new Shingler(5, ShingleUnit.Character).Shingle("\U0001F600x"));
        Assert.Equal(SetOf("abc", "bcd"), new Shingler(3, ShingleUnit.Character).Shingle("abcd"));
    }

    [Fact]
    public void Shingle_LoneSurrogate_IsEncodedAsReplacementCharacter()
    {
        Assert.Equal(SetOf("x\uFFFDy"), new Shingler(3, ShingleUnit.Character).Shingle("x\uD800y"));
    }

    [Fact]
    public void Shingle_LongText_MatchesANaiveSplit()
    {
        var random = new Random(3);
        var words = Enumerable.Range(0, 2000).Select(_ => new string('a', random.Next(1, 4)) + (char)('a' + random.Next(26))).ToArray();
        var text = string.Join(" ", words);

        var expected = Enumerable.Range(0, words.Length - 4).Select(i => string.Join(' ', words, i, 5)).ToArray();
        Assert.Equal(SetOf(expected), new Shingler().Shingle(text));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Shingle_RandomTexts_MatchANaiveSplitAndJoin(int seed)
    {
        string[] pieces = ["a", "bb", "word", "longerword", "caf\u00E9", "\u65E5\u672C", "\U0001F600", "x\u0301", "\u0000", "~!"];
        string[] gaps = [" ", " ", " ", "  ", "\t", "\n", "\r\n", "\u00A0", "\u3000", "\u2028", " \u0085 "];
        var random = new Random(seed);
        for (var trial = 0; trial < 300; trial++)
        {
            var text = new System.Text.StringBuilder(random.Next(2) == 0 ? "" : gaps[random.Next(gaps.Length)]);
            for (var word = random.Next(0, 40); word > 0; word--)
            {
                text.Append(pieces[random.Next(pieces.Length)]).Append(random.Next(8) == 0 ? pieces[random.Next(pieces.Length)] : "");
                text.Append(random.Next(6) == 0 ? gaps[random.Next(gaps.Length)] : " ");
            }

            var words = text.ToString().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            var size = random.Next(1, 6);
            var expected = words.Length == 0 ? []
                : words.Length < size ? [string.Join(' ', words)]
                : Enumerable.Range(0, words.Length - size + 1).Select(i => string.Join(' ', words, i, size)).ToArray();
            Assert.Equal(SetOf(expected), new Shingler(size).Shingle(text.ToString()));
        }
    }

    [Fact]
    public void Constructor_RejectsBadArguments()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Shingler(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Shingler(3, (ShingleUnit)9));
    }
}
