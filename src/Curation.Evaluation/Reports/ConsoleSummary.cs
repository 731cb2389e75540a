using System.Text;

namespace Curation.Evaluation.Reports;

/// <summary>What <c>curate eval run</c> prints: one line per arm and metric, then cost, latency, errors and gates.</summary>
internal static class ConsoleSummary
{
    public static string Render(EvalReport report)
    {
        var text = new StringBuilder();
        var armWidth = Math.Max(5, report.Arms.Max(arm => arm.Name.Length));
        var metricWidth = Math.Max(6, report.Metrics.Concat(report.Arms.SelectMany(arm => arm.Metrics.Select(m => m.Metric))).DefaultIfEmpty("metric").Max(name => name.Length));
        text.AppendLine($"eval {report.Name}: run {report.RunId}, {report.Items} items");
        text.AppendLine($"{"arm".PadRight(armWidth)}  {"metric".PadRight(metricWidth)}  mean   95% interval");
        foreach (var arm in report.Arms)
        {
            foreach (var metric in arm.Metrics)
            {
                text.AppendLine(metric.Mean is { } mean
                    ? $"{arm.Name.PadRight(armWidth)}  {metric.Metric.PadRight(metricWidth)}  {Figures.Score(mean.Estimate)}  [{Figures.Score(mean.Lower)}, {Figures.Score(mean.Upper)}]  n={metric.Items}"
                    : $"{arm.Name.PadRight(armWidth)}  {metric.Metric.PadRight(metricWidth)}  —  no item scored");
            }
        }

        text.AppendLine($"{"arm".PadRight(armWidth)}  calls  cached  errors  cost/1k items  p50 ms  p95 ms  tokens/s");
        foreach (var arm in report.Arms)
        {
            text.AppendLine($"{arm.Name.PadRight(armWidth)}  {arm.Calls,5}  {arm.CacheHits,6}  {arm.ErrorCount,6}  {Figures.Money(arm.CostPer1000Items),13}  {Figures.Milliseconds(arm.P50LatencyMs),6}  {Figures.Milliseconds(arm.P95LatencyMs),6}  {Figures.Rate(arm.TokensPerSecond),8}");
        }

        foreach (var line in Figures.FailedAttempts(report))
        {
            text.AppendLine($"failed attempts (retries included) of {line}");
        }

        if (report.Leaks.Count > 0)
        {
            text.AppendLine($"leakage: {report.Leaks.Select(leak => leak.GoldenId).Distinct(StringComparer.Ordinal).Count()} golden items near-duplicate training records (first: {report.Leaks[0].GoldenId} ~ {report.Leaks[0].TrainingId}, Jaccard {Figures.Score(report.Leaks[0].Jaccard)})");
        }

        foreach (var pairwise in report.Pairwise)
        {
            text.AppendLine($"pairwise judge: {pairwise.First} wins {pairwise.Wins}, {pairwise.Second} wins {pairwise.Losses}, ties {pairwise.Ties}, errors {pairwise.Errors}");
        }

        foreach (var gate in report.Gates)
        {
            text.AppendLine($"gate {(gate.Passed ? "pass" : "FAIL")}: {gate.Gate} ({gate.Detail})");
        }

        return text.ToString();
    }
}
