using Curation.Core;
using Curation.Core.Records;
using Curation.Evaluation.Arms;
using Curation.Evaluation.Golden;
using Curation.Evaluation.Metrics;

namespace Curation.Evaluation.Tests.Metrics;

public sealed class MetricTests
{
    [Fact]
    public void RougeL_OnTheExampleOfThePackagesReadme()
    {
        // Worked by hand: the LCS "the quick brown jumps the" is 5 of 8 answer tokens and 9 expected ones, so
        // precision 5/8, recall 5/9, F = 2PR / (P + R) = 10/17.
        var score = new RougeLMetric().ScoreOf(Item("The quick brown fox jumps over the lazy dog"), "The quick brown dog jumps on the log.");

        Assert.Equal(10.0 / 17, score!.Value, 15);
    }

    [Fact]
    public void TokenF1_CountsSharedWordsAsMultisets()
    {
        // Shared: cat once, dog once; precision 2/3, recall 2/3.
        Assert.Equal(2.0 / 3, new TokenF1Metric().ScoreOf(Item("cat dog dog"), "cat cat dog")!.Value, 15);
        Assert.Equal(0, new TokenF1Metric().ScoreOf(Item("the"), "the"));
    }

    [Fact]
    public void Normalization_FollowsSquadOrder_PunctuationBeforeArticles()
    {
        Assert.Equal("theend of era end really", SquadText.Normalize("It was the-end of an era; the end, really.")[7..]);
        Assert.Equal("οδος και πολις", SquadText.Normalize("ΟΔΟΣ ΚΑΙ ΠΟΛΙΣ."));
        Assert.Equal("i\u0307stanbul", SquadText.Normalize("İstanbul"));
    }

    [Fact]
    public void FailedAnswer_ScoresZeroWhereTheMetricApplies_NullWhereNot()
    {
        var failed = new ArmAnswer(null, 0, 0, TimeSpan.Zero, 3, "http-500", "model");
        foreach (var name in MetricCatalog.Names)
        {
            var metric = MetricCatalog.Create(name);
            var full = Item("B") with { Pattern = "(.*)", Schema = "{}", Choices = ["A", "B"] };

            Assert.Equal(0, metric.ScoreOf(full, failed));
            Assert.Equal(name == "json_valid" ? 0 : null, metric.ScoreOf(Item(null), failed));
        }
    }

    [Fact]
    public void Contains_WholeWordsOnly_AndNotForAnEmptyExpectation()
    {
        var metric = new ContainsMetric();

        Assert.Equal(1, metric.ScoreOf(Item("Paris"), "I believe it is Paris, France."));
        Assert.Equal(0, metric.ScoreOf(Item("Paris"), "Parisian cafes"));
        Assert.Null(metric.ScoreOf(Item("The."), "anything"));
    }

    [Fact]
    public void Regex_ItemPatternWinsOverTheMetrics_NoPatternNoScore()
    {
        var metric = new RegexMetric(@"Answer: (\w+)");

        Assert.Equal(1, metric.ScoreOf(Item("42"), "Answer: 42"));
        Assert.Equal(1, metric.ScoreOf(Item("42") with { Pattern = @"= (\d+)" }, "6 * 7 = 42. Answer: 41"));
        Assert.Null(new RegexMetric().ScoreOf(Item("42"), "Answer: 42"));
        Assert.Throws<CurationException>(() => new RegexMetric("(unclosed"));
        var broken = Assert.Throws<CurationException>(() => new RegexMetric().ScoreOf(Item("x") with { Id = "q7", Pattern = "[" }, "x"));
        Assert.Contains("q7", broken.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"type\": ")]
    [InlineData("{\"type\": 5}")]
    [InlineData("{\"minimum\": \"x\"}")]
    [InlineData("[1]")]
    [InlineData("{\"$ref\": \"#/$defs/missing\"}")]
    [InlineData("{\"$ref\": \"https://example.com/remote.json\"}")]
    public void JsonSchema_AnInvalidSchemaIsTheItemsFault(string schema)
    {
        var error = Assert.Throws<CurationException>(() => new JsonSchemaMetric().ScoreOf(Item(null) with { Id = "q9", Schema = schema }, "{}"));

        Assert.Contains("q9", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void JsonSchema_ItemsMayReuseAnIdForDifferentSchemas()
    {
        var metric = new JsonSchemaMetric();
        var numbers = Item(null) with { Schema = """{"$id": "https://example.com/s", "type": "number"}""" };
        var strings = Item(null) with { Schema = """{"$id": "https://example.com/s", "type": "string"}""" };

        Assert.Equal(1, metric.ScoreOf(numbers, "3"));
        Assert.Equal(1, metric.ScoreOf(strings, "\"x\""));
        Assert.Equal(0, metric.ScoreOf(strings, "3"));
    }

    [Theory]
    [InlineData("B", "B")]
    [InlineData("(B)", "B")]
    [InlineData("Answer: B", "B")]
    [InlineData("The answer is B.", "B")]
    [InlineData("I'd say A looks right, but the answer is (C).", "C")]
    [InlineData("D) because it is", "D")]
    [InlineData("**B**\n\nBecause Paris is the capital.", "B")]
    [InlineData("C\nThe others are wrong.", "C")]
    [InlineData("The answer is a dog", null)]
    [InlineData("Probably something else", null)]
    public void ChoiceExtractor_ReadsTheChosenLabel(string answer, string? label) =>
        Assert.Equal(label, ChoiceExtractor.Extract(answer, ["A", "B", "C", "D"]));

    [Fact]
    public void Catalog_UnknownName_OneLineListingTheKnownOnes()
    {
        var error = Assert.Throws<CurationException>(() => MetricCatalog.Create("bleu"));

        Assert.DoesNotContain('\n', error.Message);
        Assert.Contains("'bleu'", error.Message, StringComparison.Ordinal);
        Assert.All(MetricCatalog.Names, name => Assert.Contains(name, error.Message, StringComparison.Ordinal));
        Assert.Throws<CurationException>(() => MetricCatalog.Create("token_f1", pattern: "x"));
        Assert.Throws<CurationException>(() => MetricCatalog.Create(["token_f1", "token_f1"]));
        Assert.Equal(["rouge_l", "regex"], MetricCatalog.Create(["rouge_l", "regex"]).Select(m => m.Name));
    }

    private static GoldenItem Item(string? expected) => new("item", [new Message("user", "question?")], expected, []);
}
