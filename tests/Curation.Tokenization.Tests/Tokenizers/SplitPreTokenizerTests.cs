using System.Globalization;
using Curation.Tokenization.Tokenizers;

namespace Curation.Tokenization.Tests.Tokenizers;

public class SplitPreTokenizerTests
{
    // Hugging Face's documented example of each SplitDelimiterBehavior on "the-final--countdown", pattern "-".
    [Theory]
    [InlineData(SplitBehavior.Removed, false, "the|final|countdown")]
    [InlineData(SplitBehavior.Isolated, false, "the|-|final|-|-|countdown")]
    [InlineData(SplitBehavior.MergedWithPrevious, false, "the-|final-|-|countdown")]
    [InlineData(SplitBehavior.MergedWithNext, false, "the|-final|-|-countdown")]
    [InlineData(SplitBehavior.Contiguous, false, "the|-|final|--|countdown")]
    [InlineData(SplitBehavior.Removed, true, "-|-|-")]
    [InlineData(SplitBehavior.Isolated, true, "the|-|final|-|-|countdown")]
    internal void Behaviours_SplitAsHuggingFacesDo(SplitBehavior behavior, bool invert, string expected)
    {
        const string text = "the-final--countdown";
        var splitter = new SplitPreTokenizer([new SplitStep(new CodePointRegex("-"), behavior, invert)], null);

        Assert.Equal(expected, string.Join('|', splitter.Split(text).Select(p => text.Substring(p.Offset, p.Length))));
    }

    [Fact]
    public void SpecialTokens_AreSplitOffFirst_LongestFirst()
    {
        const string text = "a<|im_end|><|im|>b";
        var splitter = new SplitPreTokenizer([new SplitStep(new CodePointRegex(@"\p{L}+"))], new Dictionary<string, int> { ["<|im|>"] = 1, ["<|im_end|>"] = 2 });

        Assert.Equal("a|<|im_end|>|<|im|>|b", string.Join('|', splitter.Split(text).Select(p => text.Substring(p.Offset, p.Length))));
    }

    [Theory]
    [InlineData(@"𝐇'll", @"\p{L}+|'ll", "𝐇|'ll")]
    [InlineData("𝟙𝟚𝟛4", @"\p{N}{1,3}", "𝟙𝟚𝟛|4")]
    [InlineData("👍hello x", @"[^\r\n\p{L}\p{N}]?\p{L}+|\s+|[^\s\p{L}\p{N}]+", "👍hello| x")]
    [InlineData("a𝐇ello😀😀b", @"\p{L}+|[^\s\p{L}\p{N}]+", "a𝐇ello|😀😀|b")]
    public void Classes_MatchSupplementaryCharactersWhole(string text, string pattern, string expected)
    {
        var matches = new List<(int Start, int Length)>();

        new CodePointRegex(pattern).Matches(text, 0, text.Length, matches);

        Assert.Equal(expected, string.Join('|', matches.Select(m => text.Substring(m.Start, m.Length))));
    }

    [Theory]
    [InlineData(@"\p{N}{1,3}+", @"(?>\p{N}{1,3})")]
    [InlineData(@"[^\r\n\p{L}\p{N}]?+\p{L}++", @"(?>[^\r\n\p{L}\p{N}]?)(?>\p{L}+)")]
    [InlineData(@" ?[^\s\p{L}\p{N}]++[\r\n]*+|\s++$", @" ?(?>[^\s\p{L}\p{N}]+)(?>[\r\n]*)|(?>\s+)\z")]
    [InlineData(@"(?i:'s|'t)+?|a{2}|[+*?]+", @"(?i:'s|'t)+?|a{2}|[+*?]+")]
    public void Translate_WritesPossessiveQuantifiersAsAtomicGroups(string pattern, string expected)
    {
        Assert.Equal(expected, CodePointRegex.Translate(pattern));
    }

    [Fact]
    public void StandIns_HaveTheCategoryTheyStandFor()
    {
        foreach (var category in Enum.GetValues<UnicodeCategory>().Where(c => c is not (UnicodeCategory.Control or UnicodeCategory.Surrogate
            or UnicodeCategory.SpaceSeparator or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator)))
        {
            Assert.Equal(category, CharUnicodeInfo.GetUnicodeCategory(CodePointRegex.StandIn(category)));
        }
    }
}
