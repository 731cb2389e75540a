using Curation.Evaluation.Gates;
using Curation.Evaluation.Reports;
using Curation.Evaluation.Scoring;
using Curation.Evaluation.Statistics;

namespace Curation.Evaluation.Tests.Harness;

/// <summary>A report with the shapes a real run gives: three arms, two metrics, tags, errors, a leak, gates.</summary>
internal static class ReportSamples
{
    public static EvalReport ThreeArms()
    {
        string[] arms = ["finetuned", "base", "gpt-4o-mini"];
        string[] metrics = ["exact_match", "token_f1"];
        var means = new Dictionary<string, double> { ["finetuned"] = 0.82, ["base"] = 0.11, ["gpt-4o-mini"] = 0.74 };
        var summaries = arms.Select((arm, index) => new ArmSummary(
            arm,
            arm == "gpt-4o-mini" ? "api" : "local",
            arm == "gpt-4o-mini" ? "gpt-4o-mini" : "tiny",
            index == 2 ? "3fa9c0d1e2b4" : "item",
            24,
            index == 1 ? 24 : 0,
            arm == "gpt-4o-mini" ? new Dictionary<string, int> { ["http-429"] = 2, ["timeout"] = 1 } : [],
            metrics.Select(metric => new MetricSummary(arm, metric, new Interval(means[arm], means[arm] - 0.08, Math.Min(1, means[arm] + 0.07)), 24, arm == "gpt-4o-mini" ? 3 : 0)).ToArray(),
            1200,
            300,
            arm == "gpt-4o-mini" ? 0.00036 : 0.0021,
            arm == "gpt-4o-mini" ? 0.015 : 0.0875,
            120 + index * 300,
            300 + index * 500,
            40 + index,
            null)).ToArray();
        var items = Enumerable.Range(0, 24).Select(i => new ItemRow(
            $"golden-{i:00}",
            [i % 2 == 0 ? "short-name" : "long-name"],
            $"Which city is the capital of Country{i}?",
            $"The capital of Country{i} is City{i}.",
            arms.Select(arm => new ItemAnswer(
                arm,
                arm == "gpt-4o-mini" && i < 3 ? null : $"The capital of Country{i} is {(arm == "base" ? "Quell" : $"City{i}")}.",
                arm == "gpt-4o-mini" && i < 3 ? "http-429" : null,
                new Dictionary<string, double> { ["exact_match"] = arm == "base" || (arm == "finetuned" && i == 5) ? 0 : 1, ["token_f1"] = arm == "base" ? 0.8 : 1 })).ToArray())).ToArray();
        return new EvalReport(
            "sample",
            "20261202-201500-ab12",
            new DateTimeOffset(2026, 12, 2, 20, 15, 0, TimeSpan.Zero),
            24,
            metrics,
            summaries,
            [new ArmComparison("finetuned", "base", "exact_match", 24, new PairedComparison(new Interval(0.71, 0.54, 0.87), 18, 5, 1))],
            [new TagSummary("short-name", "finetuned", "exact_match", new Interval(0.8, 0.6, 1), 12)],
            [],
            [new LeakRow("golden-07", "capital-07-a", 0.875)],
            [new GateOutcome("finetuned.exact_match >= gpt-4o-mini.exact_match - 0.02", true, "0.82 >= 0.74 - 0.02 = 0.72"), new GateOutcome("leaks == 0", false, "1 == 0")],
            items);
    }
}
