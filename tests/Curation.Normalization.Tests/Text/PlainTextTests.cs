using System.Runtime.Intrinsics;
using Curation.Core.Text;
using Curation.Normalization.Text;

namespace Curation.Normalization.Tests.Text;

public sealed class PlainTextTests
{
    private static readonly char[] Alphabet = ['a', 'Z', '0', ' ', ' ', '\t', '\n', '\n', '~', '!', '\u007F', '\u001F', '\r', '\u00E9', '\u0301', '\u200B', '\uD83D', '\uDE00', '\u2028', '\u0100', '\u0120'];

    [Fact]
    public void IsPlainWithoutBlankBeforeLf_RandomTexts_AgreesWithTheDefinition()
    {
        var random = new Random(11);
        for (var round = 0; round < 20_000; round++)
        {
            var text = RandomText(random, random.Next(0, 80), plainOnly: random.Next(3) > 0);
            var expected = IsPlainWithoutBlankBeforeLf(text);

            var actual = PlainText.IsPlainWithoutBlankBeforeLf(text);

            if (Vector256.IsHardwareAccelerated && text.Length > Vector256<ushort>.Count)
            {
                Assert.True(expected == actual, $"'{text}'");
            }
            else
            {
                Assert.False(actual && !expected, $"'{text}'");
            }
        }
    }

    [Fact]
    public void IsPlainWithoutBlankBeforeLf_TextsItAccepts_AreLeftAloneByTheFullPasses()
    {
        var random = new Random(12);
        var whitespace = new WhitespaceCleaner(collapse: false);
        var characters = new CharacterCleaner(lineBreaksToLf: true, stripControl: true, stripInvisible: true);
        var accepted = 0;
        for (var round = 0; round < 5_000; round++)
        {
            // Most blanks before an LF become letters, so that a fair share of texts pass the check.
            var text = RandomText(random, random.Next(17, 200), plainOnly: true);
            text = random.Next(10) > 0 ? text.Replace(" \n", "x\n", StringComparison.Ordinal).Replace("\t\n", "y\n", StringComparison.Ordinal) : text;
            if (!PlainText.IsPlainWithoutBlankBeforeLf(text) || WhitespaceCleaner.HasBlankEnd(text))
            {
                continue;
            }

            accepted++;
            Assert.Equal(CharacterScan.Plain, characters.Scan(text));
            var cleaned = new PooledCharBuffer(text.Length);
            try
            {
                whitespace.Clean(text, ref cleaned);
                Assert.Equal(text, cleaned.Span.ToString());
            }
            finally
            {
                cleaned.Dispose();
            }
        }

        Assert.True(accepted > 100 || !Vector256.IsHardwareAccelerated);
    }

    [Fact]
    public void Normalize_LongPlainTextWithDoubleSpaces_StillCollapses()
    {
        var normalizer = new TextNormalizer(new NormalizeOptions { Whitespace = WhitespaceMode.Collapse });

        Assert.Equal(-1, normalizer.Normalize("one  two\tthree four five six seven", out var result));

        Assert.Equal("one two three four five six seven", result);
    }

    [Fact]
    public void Normalize_LongPlainTextWithBlankBeforeLfOrAtTheEnds_IsTrimmed()
    {
        var normalizer = new TextNormalizer(new NormalizeOptions());

        Assert.Equal(-1, normalizer.Normalize("first line is long \nsecond line\t\nthird line  ", out var result));

        Assert.Equal("first line is long\nsecond line\nthird line", result);
    }

    private static string RandomText(Random random, int length, bool plainOnly)
    {
        var chars = new char[length];
        for (var i = 0; i < length; i++)
        {
            chars[i] = plainOnly ? Alphabet[random.Next(9)] : Alphabet[random.Next(Alphabet.Length)];
        }

        return new string(chars);
    }

    private static bool IsPlainWithoutBlankBeforeLf(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is not ('\t' or '\n' or (>= ' ' and <= '~')))
            {
                return false;
            }

            if (c is ' ' or '\t' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                return false;
            }
        }

        return true;
    }
}
