using Curation.Normalization.Text;

namespace Curation.Normalization.Tests.Text;

public class TextNormalizerTests
{
    private static string Normalize(string text, NormalizeOptions? options = null)
    {
        var normalizer = new TextNormalizer(options ?? new NormalizeOptions());
        Assert.Equal(-1, normalizer.Normalize(text, out var result));
        return result;
    }

    [Theory]
    [InlineData("a\r\nb", "a\nb")]
    [InlineData("a\rb", "a\nb")]
    [InlineData("a\r\r\nb", "a\n\nb")]
    [InlineData("a\n\rb", "a\n\nb")]
    [InlineData("a\u2028b\u2029c", "a\nb\nc")]
    [InlineData("a\u0085b", "a\nb")]
    [InlineData("a\vb\fc", "a\nb\nc")]
    public void Normalize_LineBreaks_BecomeLf(string input, string expected) =>
        Assert.Equal(expected, Normalize(input));

    [Fact]
    public void Normalize_LineEndingsKeep_LeavesBreaksAndTrimsBeforeThem() =>
        Assert.Equal("a\r\nb\r\nc\u2028d", Normalize("a  \r\nb\t\r\nc\u2028d", new NormalizeOptions { LineEndings = LineEndingMode.Keep }));

    [Theory]
    [InlineData("a\u0000b\u0007c\u001Bd", "abcd")]
    [InlineData("del\u007F c1\u0080\u009F end", "del c1 end")]
    [InlineData("bell\u0007\n", "bell")]
    [InlineData("keeps\ttabs", "keeps\ttabs")]
    [InlineData("replacement \uFFFD stays", "replacement \uFFFD stays")]
    public void Normalize_ControlCharacters_AreRemoved(string input, string expected) =>
        Assert.Equal(expected, Normalize(input));

    [Fact]
    public void Normalize_StripControlOff_KeepsControls() =>
        Assert.Equal("a\u0007b\u001Bc", Normalize("a\u0007b\u001Bc", new NormalizeOptions { StripControl = false }));

    [Theory]
    [InlineData("\uFEFFhello", "hello")]
    [InlineData("mid\uFEFFdle", "middle")]
    [InlineData("zero\u200Bwidth", "zerowidth")]
    [InlineData("word\u2060joiner", "wordjoiner")]
    [InlineData("infor\u00ADmation", "information")]
    public void Normalize_InvisibleCharacters_AreRemoved(string input, string expected) =>
        Assert.Equal(expected, Normalize(input));

    [Theory]
    [InlineData("\U0001F469\u200D\U0001F469\u200D\U0001F467")] // family: woman, woman, girl (ZWJ sequence)
    [InlineData("\u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645")] // Persian "mikhaham" spelled with ZWNJ
    [InlineData("\u0915\u094D\u200D\u0937")] // Devanagari half-form request with ZWJ
    [InlineData("\u200E\u05E9\u05DC\u05D5\u05DD 123\u200F")] // bidi marks
    public void Normalize_MeaningfulJoinersAndMarks_AreKept(string input)
    {
        Assert.Same(input, Normalize(input));
    }

    [Fact]
    public void Normalize_StripZeroWidthOff_KeepsThem() =>
        Assert.Equal("a\u200Bb\u00ADc", Normalize("a\u200Bb\u00ADc", new NormalizeOptions { StripZeroWidth = false }));

    [Theory]
    [InlineData("cafe\u0301", "caf\u00E9")]
    [InlineData("a\u0301\u0316", "\u00E1\u0316")] // reordered below-mark first, then composed
    [InlineData("\u1100\u1161\u11A8", "\uAC01")] // Hangul jamo compose
    [InlineData("\u212B", "\u00C5")] // ANGSTROM SIGN is a singleton
    [InlineData("\u0BC6\u0BBE", "\u0BCA")] // Tamil vowel sign composes with a starter
    public void Normalize_Nfc_Composes(string input, string expected) =>
        Assert.Equal(expected, Normalize(input));

    [Theory]
    [InlineData("\uFB01le")]
    [InlineData("\uFF21\uFF22\uFF23")]
    [InlineData("x\u00B2")]
    [InlineData("\u00E9t\u00E9")]
    public void Normalize_Nfc_KeepsCompatibilityCharacters(string input) =>
        Assert.Same(input, Normalize(input));

    [Theory]
    [InlineData("\uFB01le", "file")]
    [InlineData("\uFF21\uFF22\uFF23", "ABC")]
    [InlineData("x\u00B2", "x2")]
    [InlineData("a\u00A0b", "a b")]
    [InlineData("\uFF40\uFF40\uFF40\ncode  ", "```\ncode  ")] // fullwidth backticks fold into a fence that then protects
    public void Normalize_Nfkc_FoldsCompatibilityCharacters(string input, string expected) =>
        Assert.Equal(expected, Normalize(input, new NormalizeOptions { Unicode = UnicodeForm.Nfkc }));

    [Fact]
    public void Normalize_UnicodeNone_LeavesDecomposedText() =>
        Assert.Equal("cafe\u0301", Normalize("cafe\u0301", new NormalizeOptions { Unicode = UnicodeForm.None }));

    [Theory]
    [InlineData("e\u200B\u0301", "\u00E9")] // the invisible character went first, so the accent meets its letter
    [InlineData("\u0BC6\u200B\u0BBE", "\u0BCA")]
    [InlineData("a\u0301\u0007\u0316", "\u00E1\u0316")]
    public void Normalize_StrippedCharacters_DoNotBlockComposition(string input, string expected) =>
        Assert.Equal(expected, Normalize(input));

    [Theory]
    [InlineData("  hello  ", "hello")]
    [InlineData("\n\n\t hello\n\n \n", "hello")]
    [InlineData("line one   \nline two\t\nend", "line one\nline two\nend")]
    [InlineData("blank  \n   \nlines", "blank\n\nlines")]
    [InlineData("inner    spaces\tand\ttabs stay", "inner    spaces\tand\ttabs stay")]
    [InlineData("  first line indent goes\n  second stays", "first line indent goes\n  second stays")]
    [InlineData("trailing nbsp\u00A0\u3000\nx", "trailing nbsp\nx")]
    [InlineData("   ", "")]
    public void Normalize_Trim_TrimsTurnAndLineEnds(string input, string expected) =>
        Assert.Equal(expected, Normalize(input));

    [Theory]
    [InlineData("Code:\n```python\ndef f():   \n    return 1  \n```\nDone.  ", "Code:\n```python\ndef f():   \n    return 1  \n```\nDone.")]
    [InlineData("~~~\n\tindented\t\n\n\n\n  x  \n~~~\n\n", "~~~\n\tindented\t\n\n\n\n  x  \n~~~")]
    [InlineData("\n\n  ```  \n  code  \n  ```  \n\n", "  ```  \n  code  \n  ```  ")] // fence lines keep indentation and trailing spaces
    [InlineData("````\n```\n  inner  \n````\nafter  ", "````\n```\n  inner  \n````\nafter")] // a shorter fence does not close
    [InlineData("```\n  a  \n~~~\n  b  \n```", "```\n  a  \n~~~\n  b  \n```")] // the other marker does not close
    public void Normalize_Trim_NeverTouchesFencedCode(string input, string expected) =>
        Assert.Equal(expected, Normalize(input));

    [Theory]
    [InlineData("See:\n```\nx = 1   \n\n")]
    [InlineData("text\n~~~   ")]
    public void Normalize_UnterminatedFence_ProtectsToTheEnd(string input) =>
        Assert.Same(input, Normalize(input));

    [Fact]
    public void Normalize_InlineTripleBackticks_AreNotAFence() =>
        Assert.Equal("```x``` here\nnext", Normalize("```x``` here   \nnext  "));

    [Theory]
    [InlineData("a  \t b", "a b")]
    [InlineData("intro\n  - nested   item\n\t- tab\tindent", "intro\n  - nested item\n\t- tab indent")]
    [InlineData("a\n\n\n\n\nb", "a\n\n\nb")]
    [InlineData("a\n \n\t\n  \n \nb", "a\n\n\nb")]
    [InlineData("a\n\n\nb", "a\n\n\nb")]
    [InlineData("x  y\n```\na    b\n\n\n\n\nc\n```\nx  y", "x y\n```\na    b\n\n\n\n\nc\n```\nx y")]
    public void Normalize_Collapse_CollapsesOutsideCode(string input, string expected) =>
        Assert.Equal(expected, Normalize(input, new NormalizeOptions { Whitespace = WhitespaceMode.Collapse }));

    [Fact]
    public void Normalize_Nfkc_IdeographicSpacesCollapse() =>
        Assert.Equal("a b", Normalize("a\u3000\u3000b", new NormalizeOptions { Unicode = UnicodeForm.Nfkc, Whitespace = WhitespaceMode.Collapse }));

    [Fact]
    public void Normalize_WhitespaceNone_LeavesWhitespace() =>
        Assert.Equal("  a  \n\n\n\n b  ", Normalize("  a  \n\n\n\n b  ", new NormalizeOptions { Whitespace = WhitespaceMode.None }));

    [Fact]
    public void Normalize_EverythingOff_ReturnsInputAsIs()
    {
        var options = new NormalizeOptions
        {
            Unicode = UnicodeForm.None,
            LineEndings = LineEndingMode.Keep,
            StripControl = false,
            StripZeroWidth = false,
            Whitespace = WhitespaceMode.None,
        };
        var input = " a\r\n\u0007\u200Be\u0301  ";
        Assert.Same(input, Normalize(input, options));
    }

    [Theory]
    [InlineData("Plain ASCII answer.\nWith two lines and a\ttab.")]
    [InlineData("\u4F60\u597D\uFF0C\u4E16\u754C\uFF01\u8FD9\u662F\u4E2D\u6587\u3002")]
    [InlineData("\u0645\u0631\u062D\u0628\u0627 \u0628\u0627\u0644\u0639\u0627\u0644\u0645")]
    [InlineData("\u0928\u092E\u0938\u094D\u0924\u0947 \u0926\u0941\u0928\u093F\u092F\u093E")]
    [InlineData("na\u00EFve caf\u00E9 \U0001F600 \U0001F44D\U0001F3FD")]
    [InlineData("\uD55C\uAD6D\uC5B4 \uD14D\uC2A4\uD2B8")]
    [InlineData("```\ncode   \n```\ntext")]
    [InlineData("")]
    public void Normalize_CleanText_ReturnsSameInstance(string input) =>
        Assert.Same(input, Normalize(input));

    // Attribute arguments and xunit's test-case serialisation are UTF-8, which cannot hold a lone surrogate.
    public static TheoryData<string, int> LoneSurrogates() => new()
    {
        { "ok\uD800", 2 },
        { "\uDC00start", 0 },
        { "pair \uD83D\uDE00 then lone \uDE00", 18 },
        { "high at end \uD83D", 12 },
        { "reversed \uDE00\uD83D", 9 },
    };

    [Theory]
    [MemberData(nameof(LoneSurrogates), DisableDiscoveryEnumeration = true)]
    public void Normalize_LoneSurrogate_ReturnsItsOffset(string input, int offset)
    {
        var normalizer = new TextNormalizer(new NormalizeOptions());
        Assert.Equal(offset, normalizer.Normalize(input, out var result));
        Assert.Same(input, result);
    }
}
