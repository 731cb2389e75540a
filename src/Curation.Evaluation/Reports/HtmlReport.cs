using System.Text;
using static Curation.Evaluation.Reports.SvgCharts;

namespace Curation.Evaluation.Reports;

/// <summary>
/// report.html: one self-contained file (inline CSS and SVG, no scripts, nothing fetched) with the summary table,
/// a chart per metric with intervals, cost against quality, latency, gates, paired differences, leaks, the worst
/// regressions and every item side by side.
/// </summary>
internal static class HtmlReport
{
    private const string Style = """
        body{font-family:"DejaVu Sans",Helvetica,Arial,sans-serif;margin:24px;color:#222;max-width:1200px}
        h1{font-size:22px}h2{font-size:18px;margin-top:28px;border-bottom:1px solid #ddd}
        table{border-collapse:collapse;font-size:13px;margin:8px 0}th,td{border:1px solid #ccc;padding:4px 8px;vertical-align:top;text-align:left}
        th{background:#f3f3f3}td.num{text-align:right;font-variant-numeric:tabular-nums}
        .pass{color:#0a7a2a;font-weight:bold}.fail{color:#b00020;font-weight:bold}
        .charts{display:flex;flex-wrap:wrap;gap:16px}figure{margin:0}figcaption{font-size:13px;color:#555}svg.chart{background:#fafafa;border:1px solid #e3e3e3;font-size:12px}
        pre{white-space:pre-wrap;margin:0;font-size:12px;max-width:420px}.err{color:#b00020}
        """;

    public static string Render(EvalReport report)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Eval report: ").Append(Escape(report.Name))
            .Append("</title><style>").Append(Style).Append("</style></head><body>");
        html.Append($"<h1>Eval report: {Escape(report.Name)}</h1>");
        html.Append($"<p>Run <code>{Escape(report.RunId)}</code>, started {report.Started:yyyy-MM-dd HH:mm:ss} UTC, {report.Items} golden items. Scores are means with seeded bootstrap 95% intervals.</p>");
        Summary(html, report);
        Gates(html, report);
        Charts(html, report);
        Pairs(html, report);
        Pairwise(html, report);
        Tags(html, report);
        Leaks(html, report);
        Regressions(html, report);
        ItemTable(html, report);
        return html.Append("</body></html>").ToString();
    }

    private static void Summary(StringBuilder html, EvalReport report)
    {
        html.Append("<section id=\"summary\"><h2>Summary</h2><table><thead><tr><th>arm</th><th>kind</th><th>model</th><th>prompt</th>");
        foreach (var metric in report.Metrics)
        {
            html.Append($"<th>{Escape(metric)}</th>");
        }

        html.Append("<th>errors</th><th>cost / 1k items</th><th>p50 ms</th><th>p95 ms</th><th>tokens/s</th><th>cache hits</th></tr></thead><tbody>");
        foreach (var arm in report.Arms)
        {
            html.Append($"<tr data-arm=\"{Escape(arm.Name)}\"><td>{Escape(arm.Name)}</td><td>{arm.Kind}</td><td>{Escape(arm.Model)}</td><td><code>{Escape(arm.PromptVersion)}</code></td>");
            foreach (var metric in report.Metrics)
            {
                html.Append(arm.Metric(metric) is { } summary ? $"<td class=\"num\">{Figures.Interval(summary.Mean!.Value)}<br>n={summary.Items}</td>" : "<td>—</td>");
            }

            html.Append($"<td class=\"num\">{Escape(Figures.Errors(arm))}</td><td class=\"num\">{Figures.Money(arm.CostPer1000Items)}</td><td class=\"num\">{Figures.Milliseconds(arm.P50LatencyMs)}</td>")
                .Append($"<td class=\"num\">{Figures.Milliseconds(arm.P95LatencyMs)}</td><td class=\"num\">{Figures.Rate(arm.TokensPerSecond)}</td><td class=\"num\">{arm.CacheHits}/{arm.Calls}</td></tr>");
        }

        html.Append("</tbody></table></section>");
    }

    private static void Gates(StringBuilder html, EvalReport report)
    {
        if (report.Gates.Count == 0)
        {
            return;
        }

        html.Append("<section id=\"gates\"><h2>Gates</h2><table><thead><tr><th>gate</th><th>result</th><th>figures</th></tr></thead><tbody>");
        foreach (var gate in report.Gates)
        {
            html.Append($"<tr><td><code>{Escape(gate.Gate)}</code></td><td class=\"{(gate.Passed ? "pass\">pass" : "fail\">FAIL")}</td><td>{Escape(gate.Detail)}</td></tr>");
        }

        html.Append("</tbody></table></section>");
    }

    private static void Charts(StringBuilder html, EvalReport report)
    {
        html.Append("<section id=\"charts\"><h2>Charts</h2><div class=\"charts\">");
        foreach (var metric in report.Metrics)
        {
            var rows = report.Arms.Where(arm => arm.Metric(metric) is not null).Select(arm => (arm.Name, arm.Metric(metric)!.Mean!.Value)).ToArray();
            if (rows.Length > 0)
            {
                html.Append("<figure>").Append(MetricBars(metric, rows)).Append($"<figcaption>{Escape(metric)}</figcaption></figure>");
            }
        }

        if (report.PrimaryMetric is { } primary)
        {
            var points = report.Arms.Where(arm => arm.Metric(primary) is not null).Select(arm => (arm.Name, arm.CostPer1000Items, arm.Metric(primary)!.Mean!.Value)).ToArray();
            html.Append("<figure>").Append(CostQuality(primary, points)).Append("<figcaption>cost against quality</figcaption></figure>");
        }

        html.Append("<figure>").Append(Latency(report.Arms.Select(arm => (arm.Name, arm.P50LatencyMs, arm.P95LatencyMs)).ToArray())).Append("<figcaption>latency</figcaption></figure>");
        html.Append("</div></section>");
    }

    private static void Pairs(StringBuilder html, EvalReport report)
    {
        if (report.Pairs.Count == 0)
        {
            return;
        }

        html.Append("<section id=\"pairs\"><h2>Paired differences</h2><table><thead><tr><th>first − second</th><th>metric</th><th>difference [95% interval]</th><th>wins</th><th>ties</th><th>losses</th><th>items</th></tr></thead><tbody>");
        foreach (var pair in report.Pairs)
        {
            var difference = pair.Paired.Difference;
            html.Append($"<tr><td>{Escape(pair.First)} − {Escape(pair.Second)}</td><td>{Escape(pair.Metric)}</td><td class=\"num\">{Figures.Signed(difference.Estimate)} [{Figures.Signed(difference.Lower)}, {Figures.Signed(difference.Upper)}]</td>")
                .Append($"<td class=\"num\">{pair.Paired.Wins}</td><td class=\"num\">{pair.Paired.Ties}</td><td class=\"num\">{pair.Paired.Losses}</td><td class=\"num\">{pair.Items}</td></tr>");
        }

        html.Append("</tbody></table></section>");
    }

    private static void Pairwise(StringBuilder html, EvalReport report)
    {
        if (report.Pairwise.Count == 0)
        {
            return;
        }

        html.Append("<section id=\"pairwise\"><h2>Pairwise judge (both orders)</h2><table><thead><tr><th>first</th><th>second</th><th>first wins</th><th>second wins</th><th>ties</th><th>errors</th></tr></thead><tbody>");
        foreach (var row in report.Pairwise)
        {
            html.Append($"<tr><td>{Escape(row.First)}</td><td>{Escape(row.Second)}</td><td class=\"num\">{row.Wins}</td><td class=\"num\">{row.Losses}</td><td class=\"num\">{row.Ties}</td><td class=\"num\">{row.Errors}</td></tr>");
        }

        html.Append("</tbody></table></section>");
    }

    private static void Tags(StringBuilder html, EvalReport report)
    {
        if (report.Tags.Count == 0)
        {
            return;
        }

        html.Append("<section id=\"tags\"><h2>By tag</h2><table><thead><tr><th>tag</th><th>arm</th><th>metric</th><th>mean [95% interval]</th><th>n</th></tr></thead><tbody>");
        foreach (var tag in report.Tags)
        {
            html.Append($"<tr><td>{Escape(tag.Tag)}</td><td>{Escape(tag.Arm)}</td><td>{Escape(tag.Metric)}</td><td class=\"num\">{Figures.Interval(tag.Mean)}</td><td class=\"num\">{tag.Items}</td></tr>");
        }

        html.Append("</tbody></table></section>");
    }

    private static void Leaks(StringBuilder html, EvalReport report)
    {
        html.Append("<section id=\"leakage\"><h2>Leakage</h2>");
        if (report.Leaks.Count == 0)
        {
            html.Append("<p>No golden item near-duplicates a training record (or no training index was given).</p></section>");
            return;
        }

        html.Append("<table><thead><tr><th>golden item</th><th>training record</th><th>Jaccard</th></tr></thead><tbody>");
        foreach (var leak in report.Leaks)
        {
            html.Append($"<tr><td>{Escape(leak.GoldenId)}</td><td>{Escape(leak.TrainingId)}</td><td class=\"num\">{Figures.Score(leak.Jaccard)}</td></tr>");
        }

        html.Append("</tbody></table></section>");
    }

    private static void Regressions(StringBuilder html, EvalReport report)
    {
        if (report.PrimaryMetric is not { } primary || report.Arms.Count < 2)
        {
            return;
        }

        var candidate = report.Arms[0].Name;
        var regressions = Figures.WorstRegressions(report, candidate, primary, 20);
        html.Append($"<section id=\"regressions\"><h2>Worst regressions of {Escape(candidate)} ({Escape(primary)})</h2>");
        if (regressions.Count == 0)
        {
            html.Append($"<p>No item where {Escape(candidate)} scored below another arm.</p></section>");
            return;
        }

        html.Append("<table><thead><tr><th>item</th><th>against</th><th>drop</th><th>expected</th><th>answer</th><th>their answer</th></tr></thead><tbody>");
        foreach (var (item, against, drop) in regressions)
        {
            html.Append($"<tr><td>{Escape(item.Id)}</td><td>{Escape(against)}</td><td class=\"num\">{Figures.Score(drop)}</td><td><pre>{Escape(item.Expected ?? string.Empty)}</pre></td>")
                .Append($"<td>{AnswerCell(item.Answers.First(a => a.Arm == candidate))}</td><td>{AnswerCell(item.Answers.First(a => a.Arm == against))}</td></tr>");
        }

        html.Append("</tbody></table></section>");
    }

    private static void ItemTable(StringBuilder html, EvalReport report)
    {
        html.Append("<section id=\"items\"><h2>Items side by side</h2><table><thead><tr><th>item</th><th>prompt</th><th>expected</th>");
        foreach (var arm in report.Arms)
        {
            html.Append($"<th>{Escape(arm.Name)}</th>");
        }

        html.Append("</tr></thead><tbody>");
        foreach (var item in report.ItemRows)
        {
            html.Append($"<tr><td>{Escape(item.Id)}{(item.Tags.Count > 0 ? $"<br><small>{Escape(string.Join(", ", item.Tags))}</small>" : string.Empty)}</td><td><pre>{Escape(item.Prompt)}</pre></td><td><pre>{Escape(item.Expected ?? string.Empty)}</pre></td>");
            foreach (var arm in report.Arms)
            {
                var answer = item.Answers.FirstOrDefault(a => a.Arm == arm.Name);
                html.Append("<td>").Append(answer is null ? "—" : AnswerCell(answer)).Append("</td>");
            }

            html.Append("</tr>");
        }

        html.Append("</tbody></table></section>");
    }

    private static string AnswerCell(ItemAnswer answer)
    {
        var scores = string.Join(" ", answer.Scores.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => $"{pair.Key}={Figures.Score(pair.Value)}"));
        return answer.Text is null
            ? $"<span class=\"err\">{Escape(answer.Error ?? "failed")}</span>"
            : $"<pre>{Escape(answer.Text)}</pre><small>{Escape(scores)}</small>";
    }
}
