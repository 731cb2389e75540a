using System.Text;
using Curation.Normalization.Text;

namespace Curation.Normalization.Tests.Text;

/// <summary>normalise(normalise(x)) == normalise(x), and the second pass hands back the same instance, for every option set.</summary>
public class IdempotenceTests
{
    private static readonly string[] Corpus =
    [
        "Plain English answer with a list:\n\n1. one\n2. two\n",
        "\u4F60\u597D\uFF0C\u4E16\u754C\u3000\u3000\u6CA1\u95EE\u9898\u3002  \n",
        "\u0645\u0631\u062D\u0628\u0627\u064B \u0628\u0627\u0644\u0639\u0627\u0644\u0645\u0650 \u200F\n",
        "\u0939\u093F\u0928\u094D\u0926\u0940 \u0915\u094D\u200D\u0937 \u0958\u0929",
        "\U0001F469\u200D\U0001F469\u200D\U0001F467 family \U0001F44D\U0001F3FD\uFE0F",
        "e\u0301 a\u0316\u0301 \u0041\u030A\u0323 \u212B \u0344",
        "\uFF28\uFF45\uFF4C\uFF4C\uFF4F \uFB01\uFB02 x\u00B2 \u2460 \u3300",
        "crlf\r\nlone cr\rmixed\r\r\n\u2028ls\u2029ps\u0085nel\vvt\ffeed",
        "\ttabs\tinside\t\t\n\t\n",
        "nbsp\u00A0\u00A0between and at end\u00A0",
        "```python\ndef f():   \n\treturn 1  \n```\n   \n\n\n\nafter   fence  ",
        "~~~\nunterminated   \n\n\n",
        "  ````md\n```\nnested   \n````  \n",
        "\uFEFF\u200Bzero\u2060width\u00AD\u200C\u200D",
        "\u0000ctl\u0007\u001B[31mred\u001B[0m\u007F\u0090",
        "\u1100\u1161\u11A8 \uAC00\u11A8 \u0BC6\u200B\u0BBE \u0B95\u0BBE",
        "\uFF40\uFF40\uFF40\n  x  \n\uFF40\uFF40\uFF40",
        " \u0301leading mark",
        "",
        "   \n\t\n",
        "\u001C\u001D\u001E\u001F separators \u001F",
    ];

    public static TheoryData<int> OptionSets()
    {
        var data = new TheoryData<int>();
        for (var i = 0; i < AllOptions.Length; i++)
        {
            data.Add(i);
        }

        return data;
    }

    private static readonly NormalizeOptions[] AllOptions = BuildOptions();

    [Theory]
    [MemberData(nameof(OptionSets))]
    public void Normalize_Corpus_IsIdempotent(int optionSet)
    {
        var normalizer = new TextNormalizer(AllOptions[optionSet]);
        foreach (var text in Corpus)
        {
            AssertIdempotent(normalizer, text);
        }
    }

    [Theory]
    [MemberData(nameof(OptionSets))]
    public void Normalize_RandomText_IsIdempotent(int optionSet)
    {
        var normalizer = new TextNormalizer(AllOptions[optionSet]);
        var random = new Random(1234 + optionSet);
        string[] pieces =
        [
            " ", "  ", "\t", "\n", "\r", "\r\n", "\u2028", "\u00A0", "\u3000", "```", "~~~", "````", "`", "a", "b", "word",
            "\u0301", "\u0316", "e", "\u1100", "\u1161", "\u11A8", "\u0BC6", "\u0BBE", "\u200B", "\u200D", "\u00AD",
            "\u0007", "\u001F", "\uFB01", "\uFF21", "\U0001F469", "\u0958", "\u0344", "\uFEFF", "\u0085", "\f",
        ];
        var builder = new StringBuilder();
        for (var n = 0; n < 400; n++)
        {
            builder.Clear();
            var length = random.Next(0, 30);
            for (var p = 0; p < length; p++)
            {
                builder.Append(pieces[random.Next(pieces.Length)]);
            }

            AssertIdempotent(normalizer, builder.ToString());
        }
    }

    private static void AssertIdempotent(TextNormalizer normalizer, string text)
    {
        Assert.Equal(-1, normalizer.Normalize(text, out var once));
        Assert.Equal(-1, normalizer.Normalize(once, out var twice));
        Assert.True(ReferenceEquals(once, twice), $"not idempotent for {Escape(text)}:\n once  {Escape(once)}\n twice {Escape(twice)}");
    }

    private static NormalizeOptions[] BuildOptions()
    {
        var sets = new List<NormalizeOptions>();
        foreach (var form in Enum.GetValues<UnicodeForm>())
        {
            foreach (var lineEndings in Enum.GetValues<LineEndingMode>())
            {
                foreach (var whitespace in Enum.GetValues<WhitespaceMode>())
                {
                    foreach (var strip in new[] { true, false })
                    {
                        sets.Add(new NormalizeOptions
                        {
                            Unicode = form,
                            LineEndings = lineEndings,
                            Whitespace = whitespace,
                            StripControl = strip,
                            StripZeroWidth = !strip || lineEndings == LineEndingMode.Lf,
                        });
                    }
                }
            }
        }

        return [.. sets];
    }

    private static string Escape(string text)
    {
        var builder = new StringBuilder("\"");
        foreach (var c in text)
        {
            builder.Append(c is >= ' ' and < '\u007F' ? c.ToString() : $"\\u{(int)c:X4}");
        }

        return builder.Append('"').ToString();
    }
}
