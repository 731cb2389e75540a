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
        Table(html, "stability", "Least stable items", ["arm", "item", "most common answer", "agreeing answers"], 3, report.UnstableItems.Take(20).Select(item =>
            new[] { item.Arm, item.ItemId, item.MajorityAnswer, $"{item.Agreeing}/{item.Answers}" }));
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

        html.Append("</tbody></table>");
        foreach (var line in Figures.FailedAttempts(report))
        {
            html.Append($"<p>Failed attempts, retries included, of {Escape(line)}</p>");
        }

        html.Append("</section>");
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

    private static void Pairs(StringBuilder html, EvalReport report) =>
        Table(html, "pairs", "Paired differences", ["first − second", "metric", "difference [95% interval]", "wins", "ties", "losses", "items"], 3, report.Pairs.Select(pair =>
        {
            var difference = pair.Paired.Difference;
            return new[]
            {
                $"{pair.First} − {pair.Second}", pair.Metric, $"{Figures.Signed(difference.Estimate)} [{Figures.Signed(difference.Lower)}, {Figures.Signed(difference.Upper)}]",
                Count(pair.Paired.Wins), Count(pair.Paired.Ties), Count(pair.Paired.Losses), Count(pair.Items),
            };
        }));

    private static void Pairwise(StringBuilder html, EvalReport report) =>
        Table(html, "pairwise", "Pairwise judge (both orders)", ["first", "second", "first wins", "second wins", "ties", "errors"], 2, report.Pairwise.Select(row =>
            new[] { row.First, row.Second, Count(row.Wins), Count(row.Losses), Count(row.Ties), Count(row.Errors) }));

    private static void Tags(StringBuilder html, EvalReport report) =>
        Table(html, "tags", "By tag", ["tag", "arm", "metric", "mean [95% interval]", "n"], 3, report.Tags.Select(tag =>
            new[] { tag.Tag, tag.Arm, tag.Metric, Figures.Interval(tag.Mean), Count(tag.Items) }));

    private static void Leaks(StringBuilder html, EvalReport report)
    {
        if (report.Leaks.Count == 0)
        {
            html.Append("<section id=\"leakage\"><h2>Leakage</h2><p>No golden item near-duplicates a training record (or no training index was given).</p></section>");
            return;
        }

        Table(html, "leakage", "Leakage", ["golden item", "training record", "Jaccard"], 2, report.Leaks.Select(leak =>
            new[] { leak.GoldenId, leak.TrainingId, Figures.Score(leak.Jaccard) }));
    }

    /// <summary>A section holding one table; cells are text (escaped here), those from <paramref name="firstNumeric"/> on right-aligned.</summary>
    private static void Table(StringBuilder html, string id, string title, string[] headers, int firstNumeric, IEnumerable<string[]> rows)
    {
        var body = rows.ToArray();
        if (body.Length == 0)
        {
            return;
        }

        html.Append($"<section id=\"{id}\"><h2>{Escape(title)}</h2><table><thead><tr>");
        foreach (var header in headers)
        {
            html.Append($"<th>{Escape(header)}</th>");
        }

        html.Append("</tr></thead><tbody>");
        foreach (var row in body)
        {
            html.Append("<tr>");
            for (var i = 0; i < row.Length; i++)
            {
                html.Append(i >= firstNumeric ? "<td class=\"num\">" : "<td>").Append(Escape(row[i])).Append("</td>");
            }

            html.Append("</tr>");
        }

        html.Append("</tbody></table></section>");
    }

    private static string Count(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

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
