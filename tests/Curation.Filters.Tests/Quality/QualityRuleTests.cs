using Curation.Core.Config;
using Curation.Core.Stages;
using Curation.Filters.Quality;
using Curation.TestKit;

namespace Curation.Filters.Tests.Quality;

public class QualityRuleTests
{
    // 71 words of ordinary prose: every default rule of every stage lets it through.
    private const string Prose =
        "The river runs through the old town and past the mill that has stood there for two hundred years. " +
        "In spring the water rises with the melting snow, and the miller opens the gates to let it through. " +
        "Children come to watch the wheel turn, and their parents tell them stories of floods that reached the bridge. " +
        "Nobody remembers the last one, but the marks are still on the stones.";

    private static string Lines(int count, Func<int, string> line) => string.Join('\n', Enumerable.Range(0, count).Select(line));

    private static string? RuleOf(IRecordStage stage, string response, string prompt = "Tell me about the river.") =>
        stage.Apply(Chat.Record(prompt, response)).Rule;

    [Fact]
    public void Prose_PassesEveryStageWithDefaults()
    {
        Assert.Null(RuleOf(new GopherQualityStage(new GopherQualityOptions(), "q"), Prose));
        Assert.Null(RuleOf(new GopherRepetitionStage(new GopherRepetitionOptions(), "q"), Prose));
        Assert.Null(RuleOf(new FineWebQualityStage(new FineWebQualityOptions(), "q"), Prose));
        Assert.Null(RuleOf(new InstructionQualityStage(new InstructionQualityOptions(), "q"), Prose));
        Assert.Null(RuleOf(new C4QualityStage(new C4QualityOptions { MinSentences = 4 }, "q"), Prose));
    }

    public static TheoryData<string, string> C4Cases() => new()
    {
        { Prose + " Lorem ipsum dolor sit amet.", "c4-lorem-ipsum" },
        { Prose + " Use a dict like {\"a\": 1}.", "c4-curly-bracket" },
        { Prose + " " + new string('x', 1001), "c4-long-word" },
        { "Short.\nNo punctuation here at all\nEnable JavaScript to view this page.\nRead our privacy policy today.", "c4-too-few-sentences" },
    };

    [Theory]
    [MemberData(nameof(C4Cases))]
    public void C4_CatchesItsCases(string response, string rule)
    {
        Assert.Equal(rule, RuleOf(new C4QualityStage(new C4QualityOptions(), "q"), response));
    }

    public static TheoryData<string, string> GopherQualityCases() => new()
    {
        { "Too short to be a document.", "gopher-too-few-words" },
        { string.Join(' ', Enumerable.Repeat("a b c d e the and with of to", 6)), "gopher-short-words" },
        { string.Join(' ', Enumerable.Repeat("extraordinarily incomprehensible the", 20)), "gopher-long-words" },
        { Prose + string.Concat(Enumerable.Repeat(" #tag", 12)), "gopher-symbols" },
        { Lines(12, i => $"- item {i} of the list and with more words"), "gopher-bullet-lines" },
        { string.Join(' ', Enumerable.Repeat("the 123 456 789 and 1000 2000 with 3000 4000", 6)), "gopher-non-alphabetic" },
        { string.Join(' ', Enumerable.Repeat("rivers run through towns past mills built centuries ago", 6)), "gopher-stop-words" },
    };

    [Theory]
    [MemberData(nameof(GopherQualityCases))]
    public void GopherQuality_CatchesItsCases(string response, string rule)
    {
        Assert.Equal(rule, RuleOf(new GopherQualityStage(new GopherQualityOptions(), "q"), response));
    }

    [Fact]
    public void GopherQuality_EllipsisLines_AndDisable()
    {
        var text = Lines(10, i => $"and the story line{i} went on...");
        var options = new GopherQualityOptions { Disable = ["gopher-symbols"] };

        Assert.Equal("gopher-symbols", RuleOf(new GopherQualityStage(new GopherQualityOptions(), "q"), text));
        Assert.Equal("gopher-ellipsis-lines", RuleOf(new GopherQualityStage(options, "q"), text));
    }

    [Fact]
    public void GopherQuality_TooManyWords_UsesTheConfiguredLimit()
    {
        Assert.Equal("gopher-too-many-words", RuleOf(new GopherQualityStage(new GopherQualityOptions { MaxWords = 60 }, "q"), Prose));
    }

    public static TheoryData<string, string> RepetitionCases() => new()
    {
        { Prose + "\n\n" + Prose + "\n\n" + Prose, "gopher-duplicate-paragraphs" },
        { Lines(10, i => i % 2 == 0 ? "Click here to subscribe to our newsletter." : $"Line {i} is different from the others."), "gopher-duplicate-lines" },
        { string.Join(' ', Enumerable.Repeat("buy now", 30)) + " " + Prose, "gopher-top-ngram" },
        { Prose + " " + string.Join(' ', Enumerable.Repeat("one two three four five six seven", 4)), "gopher-duplicate-ngrams" },
    };

    [Theory]
    [MemberData(nameof(RepetitionCases))]
    public void GopherRepetition_CatchesItsCases(string response, string rule)
    {
        Assert.Equal(rule, RuleOf(new GopherRepetitionStage(new GopherRepetitionOptions(), "q"), response));
    }

    [Theory]
    [InlineData("gopher-duplicate-paragraph-chars", "gopher-duplicate-paragraphs")]
    [InlineData("gopher-duplicate-line-chars", "gopher-duplicate-lines")]
    public void GopherRepetition_CharacterFractions_CatchLongRepeatsOnTheirOwn(string rule, string countRule)
    {
        // Two long paragraphs repeated once among short ones: few repeats by count, most characters repeated.
        var text = string.Join("\n\n", Prose, "One.", "Two.", "Three.", Prose, "Four.", "Five.");
        var options = new GopherRepetitionOptions { Disable = [countRule, "gopher-duplicate-paragraphs", "gopher-duplicate-lines", "gopher-duplicate-paragraph-chars"] };
        options.Disable.Remove(rule);

        Assert.Equal(rule, RuleOf(new GopherRepetitionStage(options, "q"), text));
    }

    public static TheoryData<string, string> FineWebCases() => new()
    {
        { Lines(8, i => $"a heading without any punctuation at all number {i} here in this line"), "fineweb-punctuation" },
        { Lines(8, i => $"Short line {i}."), "fineweb-short-lines" },
        { Prose + "\n" + "This exact sentence appears twice in the text here.\n" + "This exact sentence appears twice in the text here.", "fineweb-duplicate-lines" },
    };

    [Theory]
    [MemberData(nameof(FineWebCases))]
    public void FineWeb_CatchesItsCases(string response, string rule)
    {
        Assert.Equal(rule, RuleOf(new FineWebQualityStage(new FineWebQualityOptions(), "q"), response));
    }

    [Fact]
    public void FineWeb_ListLikeText()
    {
        var list = Lines(10, i => $"Item number {i} of the list, described fully.");

        Assert.Equal("fineweb-list", RuleOf(new FineWebQualityStage(new FineWebQualityOptions { MaxNewlinesPerWord = 0.1 }, "q"), list));
    }

    [Theory]
    [InlineData("Ok.", "What is the capital of France?", "short-response")]
    [InlineData("What is the capital of France and why is it there?", "What is the capital of France and why is it there?", "echoes-prompt")]
    [InlineData("As an AI language model, I cannot have opinions about rivers.", "Do you like rivers?", "refusal")]
    [InlineData("I'm sorry, but I can't help with picking locks today.", "How do I pick a lock?", "refusal")]
    [InlineData("Here is the code:\n```python\nprint('hi')\n", "Print hi in Python.", "unbalanced-code-fence")]
    public void Instruction_CatchesItsCases(string response, string prompt, string rule)
    {
        Assert.Equal(rule, RuleOf(new InstructionQualityStage(new InstructionQualityOptions { MinResponseWords = 2 }, "q"), response, prompt));
    }

    [Theory]
    [InlineData("Paris.", "What is the capital of France?")]
    [InlineData("Here is the code:\n```python\nprint('hi')\n```\nIt prints hi.", "Print hi in Python.")]
    [InlineData("The capital of France is Paris, on the Seine.", "What is the capital of France?")]
    public void Instruction_PassesGoodAnswers(string response, string prompt)
    {
        Assert.Null(RuleOf(new InstructionQualityStage(new InstructionQualityOptions(), "q"), response, prompt));
    }

    [Fact]
    public void Instruction_PhrasesAreConfigurable()
    {
        var stage = new InstructionQualityStage(new InstructionQualityOptions { Phrases = [], ExtraPhrases = ["Certainly! Here"] }, "q");

        Assert.Null(RuleOf(stage, "As an AI language model, I like rivers."));
        Assert.Equal("refusal", RuleOf(stage, "Certainly! Here is a poem about rivers."));
    }

    [Fact]
    public void ApplyToConversation_ReadsThePromptToo()
    {
        var prompt = Lines(10, i => i % 2 == 0 ? "Click here to subscribe to our newsletter." : $"Line {i} is different from the others.");

        Assert.Null(RuleOf(new GopherRepetitionStage(new GopherRepetitionOptions(), "q"), Prose, prompt));
        Assert.Equal("gopher-duplicate-lines", RuleOf(new GopherRepetitionStage(new GopherRepetitionOptions { ApplyTo = QualityTarget.Conversation }, "q"), Prose, prompt));
    }

    [Fact]
    public void DisablingAnUnknownRule_IsAConfigErrorListingTheRules()
    {
        var registry = new StageRegistry().AddFilterStages();
        var yaml = "inputs: [in.jsonl]\nstages:\n  - gopher-quality: { disable: [gopher-vibes] }\n";

        var error = Record.Exception(() => PipelineLoader.BuildStages(PipelineLoader.Parse(yaml, "p.yaml", "/tmp", registry), registry));

        Assert.NotNull(error);
        Assert.Contains("unknown rule 'gopher-vibes'; its rules are gopher-too-few-words", error.Message, StringComparison.Ordinal);
    }
}
