using System.Text;
using Curation.Core.Records;
using Curation.Core.Stages;
using Curation.Filters.Quality;
using Curation.TestKit;

namespace Curation.Filters.Tests.Quality;

/// <summary>
/// Every quality stage, with its defaults and with each rule alone enabled, over texts at the edges of line, word and
/// n-gram splitting. The expected decisions (rule and detail) were recorded from the string-splitting implementation
/// the span-based one replaced, so any change of behaviour shows as a diff of <c>EdgeCaseDecisions.txt</c>.
/// Set CURATION_RECORD_DECISIONS=1 to rewrite that file from the current code.
/// </summary>
public class EdgeCaseDecisionTests
{
    private const string Expected = "Quality/EdgeCaseDecisions.txt";

    private const string Prose =
        "The river runs through the old town and past the mill that has stood there for two hundred years. " +
        "In spring the water rises with the melting snow, and the miller opens the gates to let it through.";

    private static readonly string[] Texts =
    [
        "",
        " ",
        "\n",
        "\n\n\n",
        "\r\n",
        " \t \n \u00A0\n\u2028 ",
        "word",
        "two words",
        "the cat and the dog",
        Prose,
        Prose.Replace("\n", "\r\n", StringComparison.Ordinal) + "\r\n\r\n" + Prose.Replace(". ", ".\r\n", StringComparison.Ordinal),
        Prose + "\n\n" + Prose + "\n\n\n" + Prose,
        "\n" + Prose + "\n",
        "\n\nline one\nline one\n\nline two\n\n",
        "a b a b a b a b a b a b",
        "one two three four five one two three four five one two three four five",
        "x y z x y z x y",
        Prose + " end end end end end end end end end end end end",
        "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𝔴𝔬𝔯𝔡𝔰 😀 😀 😀 😀 the and of 𝔴𝔬𝔯𝔡𝔰 𝔴𝔬𝔯𝔡𝔰 😀😀 . … ...",
        "\uD800 lone \uDC00 surrogates \uD83D",
        new string('x', 1001) + " " + Prose,
        new string('y', 5000),
        "THE Be TO oF AND ThAt HAVE WiTh İ the \u212Aelvin THE",
        "- one\n- two\n* three\n• four\n  — five\n\t– six\nseven...\neight…\nnine ...  \n",
        "Hello!\" World?' Done... Wait.. no!x Yes.\"x Really?!  End.",
        "Lorem Ipsum dolor sit amet. LOREM IPSUM again.",
        "code { braces } here. And more text. Even more words here. Another sentence here. Fifth sentence is here.",
        "Enable JavaScript to see this page now.\nWe use cookies on this site today.\nRead our Terms of Use please now.\nThis line is fine and ends well.",
        "# Title\n## Sub ###\n### ### ###\n#",
        "```python\nprint(1)\n```\n   ```\nunclosed",
        "I'm sorry, but I can't help with that. As an AI language model I decline.",
        "MY KNOWLEDGE CUTOFF is 2021.",
        "short.\nlines.\nhere.\nall.\nof.\nthem.\nend.",
        string.Join("\n", Enumerable.Repeat("the same line again and again", 8)),
        string.Join("\n\n", Enumerable.Repeat("the same paragraph", 5)) + "\n\nand one different",
        "• the first point\r\n- and the second\r\n  * with the third...\r\n\t— have the fourth…",
        "Wait...\nand...\nthen… \nthe end",
    ];

    [Fact]
    public void Decisions_MatchTheRecordedOnes()
    {
        var actual = Record();
        var path = Path.Combine(AppContext.BaseDirectory, Expected);
        if (Environment.GetEnvironmentVariable("CURATION_RECORD_DECISIONS") == "1")
        {
            File.WriteAllText(Path.Combine(SourceDirectory(), Expected), actual);
            return;
        }

        var expected = File.ReadAllText(path).ReplaceLineEndings("\n");
        var expectedLines = expected.Split('\n');
        var actualLines = actual.Split('\n');
        for (var i = 0; i < Math.Min(expectedLines.Length, actualLines.Length); i++)
        {
            Assert.True(expectedLines[i] == actualLines[i], $"line {i + 1}:\nexpected {expectedLines[i]}\nactual   {actualLines[i]}");
        }

        Assert.Equal(expectedLines.Length, actualLines.Length);
    }

    private static string Record()
    {
        var output = new StringBuilder();
        foreach (var (name, stage) in StageConfigurations())
        {
            for (var t = 0; t < Texts.Length; t++)
            {
                foreach (var (shape, record) in Records(Texts[t]))
                {
                    var result = stage.Apply(record);
                    output.Append(name).Append(" | text ").Append(t).Append(" | ").Append(shape).Append(" | ")
                        .Append(result.IsKept ? "keep" : $"{result.Rule} | {result.Detail}").Append('\n');
                }
            }
        }

        return output.ToString();
    }

    private static IEnumerable<(string Shape, ChatRecord Record)> Records(string text)
    {
        yield return ("reply", Chat.Record("Tell me about the river and the mill.", text));
        yield return ("echo", Chat.Record(text, text.ToUpperInvariant()));
        yield return ("turns", Chat.Builder().System("Be brief.").User(text).Assistant(text).User("again").Assistant(Prose).Assistant(text).Build());
        yield return ("no-user", Chat.Builder().Assistant(text).Build());
    }

    private static Dictionary<string, IRecordStage> StageConfigurations()
    {
        var stages = new Dictionary<string, IRecordStage>(StringComparer.Ordinal)
        {
            ["gopher-quality"] = new GopherQualityStage(new GopherQualityOptions(), "q"),
            ["gopher-quality/conversation"] = new GopherQualityStage(new GopherQualityOptions { ApplyTo = QualityTarget.Conversation, MinWords = 2 }, "q"),
            ["gopher-repetition"] = new GopherRepetitionStage(new GopherRepetitionOptions(), "q"),
            ["gopher-repetition/conversation"] = new GopherRepetitionStage(new GopherRepetitionOptions { ApplyTo = QualityTarget.Conversation }, "q"),
            ["fineweb-quality"] = new FineWebQualityStage(new FineWebQualityOptions(), "q"),
            ["fineweb-quality/conversation"] = new FineWebQualityStage(new FineWebQualityOptions { ApplyTo = QualityTarget.Conversation }, "q"),
            ["c4-quality"] = new C4QualityStage(new C4QualityOptions(), "q"),
            ["c4-quality/conversation"] = new C4QualityStage(new C4QualityOptions { ApplyTo = QualityTarget.Conversation, MinSentences = 2 }, "q"),
            ["instruction-quality"] = new InstructionQualityStage(new InstructionQualityOptions(), "q"),
            ["instruction-quality/loose"] = new InstructionQualityStage(new InstructionQualityOptions { MinResponseWords = 3, MaxPromptEcho = 0.3, ExtraPhrases = ["River"] }, "q"),
        };
        AddEachRuleAlone(stages, "gopher-quality", rules => new GopherQualityStage(new GopherQualityOptions { MinWords = 3, MinStopWords = 1, Disable = rules }, "q"));
        AddEachRuleAlone(stages, "gopher-repetition", rules => new GopherRepetitionStage(new GopherRepetitionOptions { Disable = rules }, "q"));
        AddEachRuleAlone(stages, "fineweb-quality", rules => new FineWebQualityStage(new FineWebQualityOptions { Disable = rules }, "q"));
        AddEachRuleAlone(stages, "c4-quality", rules => new C4QualityStage(new C4QualityOptions { MinSentences = 2, MaxWordLength = 20, Disable = rules }, "q"));
        AddEachRuleAlone(stages, "instruction-quality", rules => new InstructionQualityStage(new InstructionQualityOptions { MinResponseWords = 2, Disable = rules }, "q"));
        return stages;
    }

    private static void AddEachRuleAlone(Dictionary<string, IRecordStage> stages, string kind, Func<List<string>, QualityStage> create)
    {
        foreach (var rule in create([]).Rules)
        {
            stages[$"{kind}/only {rule}"] = create([.. create([]).Rules.Where(other => other != rule)]);
        }
    }

    private static string SourceDirectory([System.Runtime.CompilerServices.CallerFilePath] string file = "") =>
        Path.GetDirectoryName(Path.GetDirectoryName(file))!;
}
