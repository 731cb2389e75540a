using System.Text.Json;
using Curation.Evaluation.Reports;

namespace Curation.Evaluation.Runs;

/// <summary>
/// The figures of a finished run kept in the run log for <c>curate eval diff</c>: per arm, each metric's mean and
/// interval, errors, cost per 1,000 items and latency.
/// </summary>
internal static class RunSummaryJson
{
    public static string Of(EvalReport report)
    {
        var arms = report.Arms.ToDictionary(
            arm => arm.Name,
            arm => new ArmFigures(
                arm.Metrics.Where(metric => metric.Mean is not null).ToDictionary(metric => metric.Metric, metric => new[] { metric.Mean!.Value.Estimate, metric.Mean.Value.Lower, metric.Mean.Value.Upper }),
                arm.ErrorCount,
                arm.CostPer1000Items,
                arm.P50LatencyMs,
                arm.P95LatencyMs));
        return JsonSerializer.Serialize(new RunFigures(report.Items, report.Leaks.Count, arms), Options);
    }

    public static RunFigures? Parse(string json) => JsonSerializer.Deserialize<RunFigures>(json, Options);

    private static readonly JsonSerializerOptions Options = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
}

internal sealed record RunFigures(int Items, int Leaks, Dictionary<string, ArmFigures> Arms);

/// <param name="Metrics">Metric name to mean, lower and upper bound.</param>
internal sealed record ArmFigures(Dictionary<string, double[]> Metrics, int Errors, double CostPer1000Items, double P50LatencyMs, double P95LatencyMs);
