using Curation.Core.Records;
using Curation.Evaluation.Config;
using Curation.Evaluation.Gates;
using Curation.Evaluation.Golden;
using Curation.Evaluation.Reports;
using Curation.Evaluation.Scoring;
using Curation.Evaluation.Statistics;

namespace Curation.Evaluation.Runs;

/// <summary>Turns a scored run into the report: per-arm figures (errors, tokens, cost, latency), then the gates on them.</summary>
internal static class ReportBuilder
{
    public static EvalReport Build(
        EvalDefinition definition,
        AnsweredRun run,
        IReadOnlyList<GoldenItem> items,
        Scoreboard board,
        CallScores scores,
        IReadOnlyList<LeakRow> leaks,
        IReadOnlyList<Gate> gates)
    {
        var arms = definition.Arms.Select(options => ArmOf(options, run, items.Count, board)).ToArray();
        var figures = new ReportFigures(arms, leaks.Select(leak => leak.GoldenId).Distinct(StringComparer.Ordinal).Count());
        return new EvalReport(
            definition.Name,
            run.RunId,
            run.Started,
            items.Count,
            scores.MetricNames,
            arms,
            board.Comparisons,
            board.Tags,
            scores.Pairwise,
            leaks,
            gates.Select(gate => gate.Evaluate(figures)).ToArray(),
            items.Select((item, index) => RowOf(item, index, run, scores)).ToArray())
        {
            UnstableItems = board.Stability
                .SelectMany(arm => arm.Items.Where(item => item.Agreeing < item.Answers).Select(item => new UnstableItem(arm.Arm, item.ItemId, item.Agreeing, item.Answers, item.MajorityAnswer)))
                .OrderBy(item => (double)item.Agreeing / item.Answers)
                .ThenBy(item => item.Arm, StringComparer.Ordinal)
                .ThenBy(item => item.ItemId, StringComparer.Ordinal)
                .ToArray(),
        };
    }

    private static ArmSummary ArmOf(ArmOptions options, AnsweredRun run, int items, Scoreboard board)
    {
        var name = options.Name!;
        var calls = run.Calls.Where(call => call.Arm == name).ToArray();
        var answered = calls.Where(call => !call.Answer.Failed).ToArray();
        var latencies = answered.Select(call => call.Answer.Latency.TotalMilliseconds).Order().ToArray();
        var speeds = answered.Where(call => call.Answer.Latency > TimeSpan.Zero && call.Answer.OutputTokens > 0)
            .Select(call => call.Answer.OutputTokens / call.Answer.Latency.TotalSeconds).ToArray();
        var cost = calls.Sum(call => call.ListCost);
        return new ArmSummary(
            name,
            ArmFactory.KindOf(options),
            ArmFactory.ModelOf(options),
            run.PromptVersions[name],
            calls.Length,
            calls.Count(call => call.CacheHit),
            calls.Where(call => call.Answer.Failed).GroupBy(call => call.Answer.Error ?? "failed").ToDictionary(group => group.Key, group => group.Count(), StringComparer.Ordinal),
            board.Metrics.Where(metric => metric.Arm == name).ToArray(),
            calls.Sum(call => (long)call.Answer.InputTokens),
            calls.Sum(call => (long)call.Answer.OutputTokens),
            cost,
            items == 0 ? 0 : cost / items * 1000,
            latencies.Length == 0 ? 0 : Bootstrap.Percentile(latencies, 0.50),
            latencies.Length == 0 ? 0 : Bootstrap.Percentile(latencies, 0.95),
            speeds.Length == 0 ? 0 : speeds.Average(),
            board.Stability.FirstOrDefault(stability => stability.Arm == name && stability.Repeats > 1)?.MeanShare)
        {
            FailedAttempts = run.FailedAttempts.GetValueOrDefault(name) ?? new Dictionary<string, int>(),
        };
    }

    private static ItemRow RowOf(GoldenItem item, int index, AnsweredRun run, CallScores scores)
    {
        var answers = run.Calls.Where(call => call.Item == index && call.Repeat == 0)
            .Select(call => new ItemAnswer(call.Arm, call.Answer.Text, call.Answer.Error, scores.Of(call)))
            .ToArray();
        var prompt = item.Prompt.LastOrDefault(message => message.Role == Roles.User)?.Content ?? string.Empty;
        return new ItemRow(item.Id, item.Tags, prompt, item.Expected, answers);
    }

    /// <summary>The figures gates read, by arm: metric means and bounds, and the arm's own figures.</summary>
    private sealed class ReportFigures(IReadOnlyList<ArmSummary> arms, int leaks) : IGateFigures
    {
        public int Leaks => leaks;

        public double? Value(string arm, string figure, string bound)
        {
            var summary = arms.FirstOrDefault(candidate => candidate.Name == arm);
            if (summary is null)
            {
                return null;
            }

            if (summary.Metric(figure) is { Mean: { } mean })
            {
                return bound switch { "lower" => mean.Lower, "upper" => mean.Upper, _ => mean.Estimate };
            }

            return figure switch
            {
                "error_rate" => summary.ErrorRate,
                "errors" => summary.ErrorCount,
                "cost" => summary.Cost,
                "cost_per_1k" => summary.CostPer1000Items,
                "p50_latency_ms" => summary.P50LatencyMs,
                "p95_latency_ms" => summary.P95LatencyMs,
                "tokens_per_s" => summary.TokensPerSecond,
                "stability" => summary.Stability,
                _ => null,
            };
        }
    }
}
