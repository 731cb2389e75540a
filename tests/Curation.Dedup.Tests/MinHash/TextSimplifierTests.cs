using Curation.Dedup.MinHash;

namespace Curation.Dedup.Tests.MinHash;

public class TextSimplifierTests
{
    private static readonly TextSimplifier Defaults = new(new SimplifyOptions());

    private static readonly SimplifyOptions Nothing = new()
    {
        Lowercase = false,
        StripPunctuation = false,
        PunctuationAsSpace = false,
        FoldDigits = false,
        StripDiacritics = false,
        CollapseWhitespace = false,
    };

    [Theory]
    [InlineData("  Hello,  WORLD!! It's\t\n 2024.  ", "hello world it s 2024")]
    [InlineData("a - b -- c", "a b c")]
    [InlineData("x+y=z; $5 ~ 10% <ok>", "x y z 5 10 ok")]
    [InlineData("\u00BFQu\u00E9 pas\u00F3? \u00A1Se\u00F1or!", "que paso senor")]
    [InlineData("Cafe\u0301 Na\u0308ive", "cafe naive")]
    [InlineData("\u00C5NGSTR\u00D6M \u0150z \u0130stanbul \u017D", "angstrom oz istanbul z")]
    [InlineData("\u00D8re \u0141\u00F3d\u017A \u00C6sir stra\u00DFe", "\u00F8re \u0142odz \u00E6sir stra\u00DFe")]
    [InlineData("\u201CQuoted\u201D \u2014 dash\u2026 \u300C\u65E5\u672C\u300D", "quoted dash \u65E5\u672C")]
    [InlineData("emoji \U0001F600 stays", "emoji \U0001F600 stays")]
    [InlineData("", "")]
    [InlineData(" \t\r\n ", "")]
    [InlineData("!!!", "")]
    public void Simplify_Defaults(string text, string expected)
    {
        Assert.Equal(expected, Defaults.Simplify(text));
    }

    [Theory]
    [InlineData("End.Next foo/bar --force", "end next foo bar force")]
    [InlineData("  Hello,  WORLD!! It's\t\n 2024.  ", "hello world it s 2024")]
    [InlineData("x+y=z; $5 ~ 10% <ok>", "x y z 5 10 ok")]
    [InlineData("!!!", "")]
    public void Simplify_PunctuationAsSpace_KeepsJoinedWordsApart(string text, string expected)
    {
        Assert.Equal(expected, new TextSimplifier(new SimplifyOptions { PunctuationAsSpace = true }).Simplify(text));
    }

    [Fact]
    public void Simplify_PunctuationAsSpace_WithoutCollapsing_WritesOneSpacePerMark()
    {
        var simplifier = new TextSimplifier(new SimplifyOptions { PunctuationAsSpace = true, CollapseWhitespace = false });
        Assert.Equal("a  b", simplifier.Simplify("a, b"));
    }

    [Fact]
    public void Simplify_Defaults_KeepDigitsAndSplitWordsAtPunctuation()
    {
        Assert.Equal("call 555 0123 don t", Defaults.Simplify("Call 555-0123, don't"));
    }

    [Fact]
    public void Simplify_PunctuationDeleted_JoinsTheWordsItSeparated()
    {
        var simplifier = new TextSimplifier(new SimplifyOptions { PunctuationAsSpace = false });

        Assert.Equal("call 5550123 dont endnext", simplifier.Simplify("Call 555-0123, don't end.Next"));
    }

    [Fact]
    public void Simplify_FoldDigits_MapsEveryDecimalDigitToZero()
    {
        var simplifier = new TextSimplifier(new SimplifyOptions { FoldDigits = true });

        Assert.Equal("order 00 on 0000 00 00 00", simplifier.Simplify("Order #42 on 2024-01-05 \u0663\u0664"));
    }

    [Fact]
    public void Simplify_EverythingOff_ReturnsTheSameInstance()
    {
        const string text = "  Keep\tEVERYTHING, as-is: \u00E9 e\u0301 42!  ";

        Assert.Same(text, new TextSimplifier(Nothing).Simplify(text));
    }

    [Fact]
    public void Simplify_AlreadySimple_ReturnsTheSameInstance()
    {
        const string text = "already simple text";

        Assert.Same(text, Defaults.Simplify(text));
    }

    [Fact]
    public void Simplify_EachOptionAlone()
    {
        const string text = " \u00C9t\u00E9,  2024! ";

        Assert.Equal(" \u00E9t\u00E9,  2024! ", new TextSimplifier(Nothing with { Lowercase = true }).Simplify(text));
        Assert.Equal(" \u00C9t\u00E9  2024 ", new TextSimplifier(Nothing with { StripPunctuation = true }).Simplify(text));
        Assert.Equal(" \u00C9t\u00E9,  0000! ", new TextSimplifier(Nothing with { FoldDigits = true }).Simplify(text));
        Assert.Equal(" Ete,  2024! ", new TextSimplifier(Nothing with { StripDiacritics = true }).Simplify(text));
        Assert.Equal("\u00C9t\u00E9, 2024!", new TextSimplifier(Nothing with { CollapseWhitespace = true }).Simplify(text));
    }

    [Fact]
    public void Simplify_IntoSpan_NeedsRoomForTheInput()
    {
        var destination = new char[5];

        Assert.Equal(5, Defaults.Simplify("A.B.C", destination));
        Assert.Equal("a b c", new string(destination));
        Assert.Throws<ArgumentException>(() => Defaults.Simplify("A.B.C!", destination));
    }
}

public class TextSimplifierBlockTests
{
    // Mostly the ASCII that whole 16-character blocks are made of, with what must leave the block path: runs of
    // separators, non-ASCII letters, combining marks, no-break spaces, control characters and DEL.
    private const string Alphabet = "aaaaeeeiioouu tttnnssrrhhllddcc      AEIOUTNSXZ0123456789.,;:!?'\"-()[]{}@#$%^&*_+=/\\|<>~`\t\n\r\u00E9\u00C9\u0301\u00A0\u2014\u0001\u007F\u00DF";

    public static TheoryData<bool, bool, bool, bool, bool, bool> OptionSets()
    {
        var sets = new TheoryData<bool, bool, bool, bool, bool, bool>();
        for (var bits = 0; bits < 64; bits++)
        {
            sets.Add((bits & 1) != 0, (bits & 2) != 0, (bits & 4) != 0, (bits & 8) != 0, (bits & 16) != 0, (bits & 32) != 0);
        }

        return sets;
    }

    [Theory]
    [MemberData(nameof(OptionSets))]
    public void Simplify_EqualsTheCharacterByCharacterDefinition(bool lowercase, bool strip, bool asSpace, bool fold, bool diacritics, bool collapse)
    {
        var options = new SimplifyOptions
        {
            Lowercase = lowercase,
            StripPunctuation = strip,
            PunctuationAsSpace = asSpace,
            FoldDigits = fold,
            StripDiacritics = diacritics,
            CollapseWhitespace = collapse,
        };
        // 16-character blocks alone, and 32-character ones first.
        var simplifiers = new[] { new TextSimplifier(options, wideBlocks: false), new TextSimplifier(options, wideBlocks: true) };
        var random = new Random(17);
        for (var i = 0; i < 600; i++)
        {
            var text = RandomText(random, random.Next(0, 150), (TextKind)(i % 3));
            var expected = Reference(text, options);
            Assert.All(simplifiers, simplifier => Assert.Equal(expected, simplifier.Simplify(text)));
        }
    }

    private enum TextKind
    {
        // Letters and single spaces, now and then a comma or full stop.
        Plain,

        // ASCII prose with runs of separators: a full stop and a space, blank lines, indents, a lone punctuation mark.
        SeparatorRuns,

        // Anything in the alphabet.
        Mixed,
    }

    private static string RandomText(Random random, int length, TextKind kind)
    {
        var chars = new char[length];
        for (var i = 0; i < length; i++)
        {
            // The first two kinds are ASCII made of kept characters and separators, so whole blocks take the vector
            // path; the last draws from the whole alphabet.
            chars[i] = kind switch
            {
                TextKind.Plain => random.Next(12) switch
                {
                    0 => ' ',
                    1 when i > 0 && chars[i - 1] != ' ' => random.Next(2) == 0 ? ',' : '.',
                    2 => (char)('A' + random.Next(26)),
                    3 => (char)('0' + random.Next(10)),
                    _ => (char)('a' + random.Next(26)),
                },
                TextKind.SeparatorRuns => random.Next(10) switch
                {
                    0 or 1 => ' ',
                    2 => ".,;:!?-()\"'"[random.Next(11)],
                    3 => "\n\t\r"[random.Next(3)],
                    4 => (char)('A' + random.Next(26)),
                    5 => (char)('0' + random.Next(10)),
                    _ => (char)('a' + random.Next(26)),
                },
                _ => Alphabet[random.Next(Alphabet.Length)],
            };
        }

        return new string(chars);
    }

    /// <summary>What <see cref="SimplifyOptions"/> says, one character at a time.</summary>
    private static string Reference(string text, SimplifyOptions options)
    {
        var result = new System.Text.StringBuilder();
        var spacePending = false;
        foreach (var original in text)
        {
            var c = original;
            if (options.StripDiacritics)
            {
                if (LatinDiacritics.IsCombiningMark(c))
                {
                    continue;
                }

                c = LatinDiacritics.BaseOf(c);
            }

            var separator = char.IsWhiteSpace(c);
            if (!separator && options.StripPunctuation && (char.IsPunctuation(c) || char.IsSymbol(c)))
            {
                if (!options.PunctuationAsSpace)
                {
                    continue;
                }

                separator = true;
                c = ' ';
            }

            if (separator && options.CollapseWhitespace)
            {
                spacePending = result.Length > 0;
                continue;
            }

            if (!separator)
            {
                c = options.Lowercase ? char.ToLowerInvariant(c) : c;
                c = options.FoldDigits && char.IsDigit(c) ? '0' : c;
            }

            if (spacePending)
            {
                result.Append(' ');
                spacePending = false;
            }

            result.Append(c);
        }

        return result.ToString();
    }
}
