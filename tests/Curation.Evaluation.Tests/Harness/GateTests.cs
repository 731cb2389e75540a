using Curation.Evaluation.Gates;

namespace Curation.Evaluation.Tests.Harness;

public sealed class GateTests
{
    private static readonly string[] Arms = ["finetuned", "gpt-4o-mini", "base"];

    private sealed class Figures(Dictionary<string, double> values, int leaks = 0) : IGateFigures
    {
        public int Leaks => leaks;

        public double? Value(string arm, string figure, string bound) =>
            values.TryGetValue($"{arm}.{figure}.{bound}", out var value) ? value : null;
    }

    private static readonly Figures Sample = new(new()
    {
        ["finetuned.exact_match.mean"] = 0.62,
        ["finetuned.exact_match.lower"] = 0.55,
        ["gpt-4o-mini.exact_match.mean"] = 0.63,
        ["gpt-4o-mini.exact_match.upper"] = 0.70,
        ["base.exact_match.mean"] = 0.10,
        ["finetuned.error_rate.mean"] = 0.0,
    });

    [Theory]
    [InlineData("finetuned.exact_match >= gpt-4o-mini.exact_match - 0.02", true)]
    [InlineData("finetuned.exact_match >= gpt-4o-mini.exact_match", false)]
    [InlineData("finetuned.exact_match.lower >= gpt-4o-mini.exact_match.upper", false)]
    [InlineData("finetuned.exact_match.lower > base.exact_match + 0.4", true)]
    [InlineData("finetuned.error_rate <= 0.01", true)]
    [InlineData("leaks == 0", true)]
    [InlineData("0.5 < finetuned.exact_match", true)]
    public void Evaluate_ComparesTheNamedFigures(string text, bool passes)
    {
        var outcome = Gate.Parse(text, Arms).Evaluate(Sample);

        Assert.Equal(passes, outcome.Passed);
        Assert.Equal(text, outcome.Gate);
    }

    [Fact]
    public void Detail_ShowsTheFiguresCompared()
    {
        var outcome = Gate.Parse("finetuned.exact_match >= gpt-4o-mini.exact_match - 0.02", Arms).Evaluate(Sample);

        Assert.Equal("0.62 >= 0.63 - 0.02 = 0.61", outcome.Detail);
    }

    [Fact]
    public void Leaks_FailAGateThatAllowsNone()
    {
        Assert.False(Gate.Parse("leaks == 0", Arms).Evaluate(new Figures([], leaks: 2)).Passed);
    }

    [Fact]
    public void AFigureTheRunLacks_FailsTheGateSayingWhich()
    {
        var outcome = Gate.Parse("finetuned.rouge_l >= 0.3", Arms).Evaluate(Sample);

        Assert.False(outcome.Passed);
        Assert.Contains("finetuned.rouge_l", outcome.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("finetuned.exact_match", "comparison")]
    [InlineData("finetune.exact_match >= 0.5", "arms: finetuned, gpt-4o-mini, base")]
    [InlineData("finetuned.exact_match >= base.exact_match -0.02", "expected + or -")]
    [InlineData("finetuned.exact_match >= ", "empty")]
    [InlineData("finetuned.Exact Match >= 1", "not a metric name")]
    [InlineData("finetuned.exact_match >= base.exact_match -", "nothing after it")]
    public void Check_NamesTheProblem(string text, string expected)
    {
        var problem = Gate.Check(text, Arms);

        Assert.NotNull(problem);
        Assert.Contains(expected, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void ArmNamesWithDotsAndDashes_TakeTheLongestMatchingArm()
    {
        var figures = new Figures(new() { ["gpt-4o.exact_match.mean"] = 0.3, ["gpt-4o-mini.exact_match.mean"] = 0.9 });

        Assert.True(Gate.Parse("gpt-4o-mini.exact_match > gpt-4o.exact_match", ["gpt-4o", "gpt-4o-mini"]).Evaluate(figures).Passed);
    }
}
