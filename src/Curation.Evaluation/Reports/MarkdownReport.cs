using System.Text;

namespace Curation.Evaluation.Reports;

/// <summary>report.md: the summary, intervals, paired differences, tags, leaks, gates and worst regressions as tables.</summary>
internal static class MarkdownReport
{
    public static string Render(EvalReport report)
    {
        var text = new StringBuilder();
        text.AppendLine($"# Eval report: {report.Name}").AppendLine();
        text.AppendLine($"Run `{report.RunId}`, started {report.Started:yyyy-MM-dd HH:mm:ss} UTC, {report.Items} golden items. Scores are means with seeded bootstrap 95% intervals.").AppendLine();
        text.AppendLine("## Summary").AppendLine();
        text.Append("| arm | kind | model | prompt |");
        foreach (var metric in report.Metrics)
        {
            text.Append($" {metric} |");
        }

        text.AppendLine(" errors | cost / 1k items | p50 ms | p95 ms | tokens/s | cache hits |");
        text.Append("|---|---|---|---|").Append(string.Concat(report.Metrics.Select(_ => "---|"))).AppendLine("---|---:|---:|---:|---:|---:|");
        foreach (var arm in report.Arms)
        {
            text.Append($"| {arm.Name} | {arm.Kind} | {Cell(arm.Model)} | {arm.PromptVersion} |");
            foreach (var metric in report.Metrics)
            {
                text.Append(arm.Metric(metric) is { } summary ? $" {Figures.Interval(summary.Mean!.Value)} (n={summary.Items}) |" : " — |");
            }

            text.AppendLine($" {Figures.Errors(arm)} | {Figures.Money(arm.CostPer1000Items)} | {Figures.Milliseconds(arm.P50LatencyMs)} | {Figures.Milliseconds(arm.P95LatencyMs)} | {Figures.Rate(arm.TokensPerSecond)} | {arm.CacheHits}/{arm.Calls} |");
        }

        if (Figures.FailedAttempts(report).ToArray() is { Length: > 0 } failed)
        {
            text.AppendLine().AppendLine("Failed attempts, retries included (a call's error is its last attempt's): " + string.Join("; ", failed));
        }

        if (report.Arms.Any(arm => arm.Stability is not null))
        {
            text.AppendLine().AppendLine("Stability (share of repeats agreeing with the item's majority answer): "
                + string.Join(", ", report.Arms.Where(arm => arm.Stability is not null).Select(arm => $"{arm.Name} {Figures.Score(arm.Stability!.Value)}")));
        }

        if (report.UnstableItems.Count > 0)
        {
            text.AppendLine().AppendLine("## Least stable items").AppendLine().AppendLine("| arm | item | most common answer | agreeing answers |").AppendLine("|---|---|---|---:|");
            foreach (var item in report.UnstableItems.Take(20))
            {
                text.AppendLine($"| {item.Arm} | {Cell(item.ItemId)} | {Cell(Shorten(item.MajorityAnswer))} | {item.Agreeing}/{item.Answers} |");
            }
        }

        if (report.Gates.Count > 0)
        {
            text.AppendLine().AppendLine("## Gates").AppendLine().AppendLine("| gate | result | figures |").AppendLine("|---|---|---|");
            foreach (var gate in report.Gates)
            {
                text.AppendLine($"| `{gate.Gate}` | {(gate.Passed ? "pass" : "**FAIL**")} | {Cell(gate.Detail)} |");
            }
        }

        if (report.Pairs.Count > 0)
        {
            text.AppendLine().AppendLine("## Paired differences").AppendLine();
            text.AppendLine("| first − second | metric | difference [95% interval] | wins | ties | losses | items |").AppendLine("|---|---|---|---:|---:|---:|---:|");
            foreach (var pair in report.Pairs)
            {
                var difference = pair.Paired.Difference;
                text.AppendLine($"| {pair.First} − {pair.Second} | {pair.Metric} | {Figures.Signed(difference.Estimate)} [{Figures.Signed(difference.Lower)}, {Figures.Signed(difference.Upper)}] | {pair.Paired.Wins} | {pair.Paired.Ties} | {pair.Paired.Losses} | {pair.Items} |");
            }
        }

        if (report.Pairwise.Count > 0)
        {
            text.AppendLine().AppendLine("## Pairwise judge (both orders)").AppendLine().AppendLine("| first | second | first wins | second wins | ties | errors |").AppendLine("|---|---|---:|---:|---:|---:|");
            foreach (var row in report.Pairwise)
            {
                text.AppendLine($"| {row.First} | {row.Second} | {row.Wins} | {row.Losses} | {row.Ties} | {row.Errors} |");
            }
        }

        if (report.Tags.Count > 0)
        {
            text.AppendLine().AppendLine("## By tag").AppendLine().AppendLine("| tag | arm | metric | mean [95% interval] | n |").AppendLine("|---|---|---|---|---:|");
            foreach (var tag in report.Tags)
            {
                text.AppendLine($"| {Cell(tag.Tag)} | {tag.Arm} | {tag.Metric} | {Figures.Interval(tag.Mean)} | {tag.Items} |");
            }
        }

        text.AppendLine().AppendLine("## Leakage").AppendLine();
        if (report.Leaks.Count == 0)
        {
            text.AppendLine("No golden item near-duplicates a training record (or no training index was given).");
        }
        else
        {
            text.AppendLine("| golden item | training record | Jaccard |").AppendLine("|---|---|---:|");
            foreach (var leak in report.Leaks)
            {
                text.AppendLine($"| {Cell(leak.GoldenId)} | {Cell(leak.TrainingId)} | {Figures.Score(leak.Jaccard)} |");
            }
        }

        if (report.PrimaryMetric is { } primary && report.Arms.Count > 1)
        {
            var candidate = report.Arms[0].Name;
            var regressions = Figures.WorstRegressions(report, candidate, primary, 20);
            text.AppendLine().AppendLine($"## Worst regressions of {candidate} ({primary})").AppendLine();
            if (regressions.Count == 0)
            {
                text.AppendLine($"No item where {candidate} scored below another arm.");
            }
            else
            {
                text.AppendLine("| item | against | drop | expected | answer |").AppendLine("|---|---|---:|---|---|");
                foreach (var (item, against, drop) in regressions)
                {
                    var answer = item.Answers.First(a => a.Arm == candidate);
                    text.AppendLine($"| {Cell(item.Id)} | {against} | {Figures.Score(drop)} | {Cell(Shorten(item.Expected ?? string.Empty))} | {Cell(Shorten(answer.Text ?? answer.Error ?? string.Empty))} |");
                }
            }
        }

        return text.ToString();
    }

    private static string Shorten(string text) => text.Length <= 120 ? text : string.Concat(text.AsSpan(0, 119), "…");

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).ReplaceLineEndings(" ");
}
