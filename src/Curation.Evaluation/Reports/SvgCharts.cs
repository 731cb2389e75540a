using System.Globalization;
using System.Net;
using System.Text;

namespace Curation.Evaluation.Reports;

/// <summary>Inline SVG charts for report.html: no scripts, no fonts or files fetched, so the report opens offline.</summary>
internal static class SvgCharts
{
    private const int Width = 560;
    private const int LabelWidth = 130;
    private const int RowHeight = 26;
    private static readonly string[] Palette = ["#3366cc", "#dc3912", "#ff9900", "#109618", "#990099", "#0099c6", "#dd4477", "#66aa00"];

    public static string Colour(int index) => Palette[index % Palette.Length];

    /// <summary>A horizontal bar per arm at the metric's mean, with a whisker over its 95% interval, on a 0–1 axis.</summary>
    public static string MetricBars(string metric, IReadOnlyList<(string Arm, Statistics.Interval Mean)> rows)
    {
        var plot = Width - LabelWidth - 20;
        var height = rows.Count * RowHeight + 30;
        var svg = Open($"metric-{metric}", height, $"{metric} by arm, with 95% intervals");
        for (var i = 0; i < rows.Count; i++)
        {
            var (arm, mean) = rows[i];
            var y = 10 + i * RowHeight;
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{LabelWidth - 6}\" y=\"{y + 15}\" text-anchor=\"end\">{Escape(arm)}</text>");
            svg.Append(CultureInfo.InvariantCulture, $"<rect class=\"bar\" x=\"{LabelWidth}\" y=\"{y + 3}\" width=\"{X(mean.Estimate, plot):0.#}\" height=\"{RowHeight - 8}\" fill=\"{Colour(i)}\"><title>{Escape(arm)}: {Figures.Interval(mean)}</title></rect>");
            var lower = LabelWidth + X(mean.Lower, plot);
            var upper = LabelWidth + X(mean.Upper, plot);
            var middle = y + RowHeight / 2.0 - 1;
            svg.Append(CultureInfo.InvariantCulture, $"<path class=\"whisker\" d=\"M{lower:0.#},{middle} H{upper:0.#} M{lower:0.#},{middle - 5} V{middle + 5} M{upper:0.#},{middle - 5} V{middle + 5}\" stroke=\"#222\" fill=\"none\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Math.Min(upper + 4, Width - 40):0.#}\" y=\"{y + 15}\">{Figures.Score(mean.Estimate)}</text>");
        }

        Axis(svg, height - 18, plot, ["0", "0.25", "0.5", "0.75", "1"]);
        return svg.Append("</svg>").ToString();
    }

    /// <summary>Each arm as a point: cost per 1,000 items across, the primary metric up, with its interval.</summary>
    public static string CostQuality(string metric, IReadOnlyList<(string Arm, double Cost, Statistics.Interval Mean)> points)
    {
        const int height = 300;
        const int left = 60;
        const int bottom = 40;
        var plotWidth = Width - left - 20;
        var plotHeight = height - bottom - 20;
        var maxCost = Math.Max(points.Select(point => point.Cost).DefaultIfEmpty(0).Max(), 1e-9) * 1.15;
        var svg = Open("cost-quality", height, $"{metric} against cost per 1,000 items");
        svg.Append(CultureInfo.InvariantCulture, $"<path d=\"M{left},20 V{height - bottom} H{Width - 20}\" stroke=\"#888\" fill=\"none\"/>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left + plotWidth / 2}\" y=\"{height - 6}\" text-anchor=\"middle\">cost per 1,000 items (0 – {Figures.Money(maxCost)})</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"14\" y=\"{20 + plotHeight / 2}\" transform=\"rotate(-90 14 {20 + plotHeight / 2})\" text-anchor=\"middle\">{Escape(metric)}</text>");
        for (var i = 0; i < points.Count; i++)
        {
            var (arm, cost, mean) = points[i];
            var x = left + cost / maxCost * plotWidth;
            double Y(double value) => 20 + (1 - Math.Clamp(value, 0, 1)) * plotHeight;
            svg.Append(CultureInfo.InvariantCulture, $"<path class=\"whisker\" d=\"M{x:0.#},{Y(mean.Lower):0.#} V{Y(mean.Upper):0.#}\" stroke=\"{Colour(i)}\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<circle class=\"point\" cx=\"{x:0.#}\" cy=\"{Y(mean.Estimate):0.#}\" r=\"6\" fill=\"{Colour(i)}\"><title>{Escape(arm)}: {Figures.Score(mean.Estimate)} at {Figures.Money(cost)} per 1,000 items</title></circle>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x + 9:0.#}\" y=\"{Y(mean.Estimate) - 8:0.#}\">{Escape(arm)}</text>");
        }

        return svg.Append("</svg>").ToString();
    }

    /// <summary>p50 and p95 latency per arm, as two bars each on a shared millisecond axis.</summary>
    public static string Latency(IReadOnlyList<(string Arm, double P50, double P95)> rows)
    {
        var plot = Width - LabelWidth - 70;
        var height = rows.Count * RowHeight + 30;
        var max = Math.Max(rows.Select(row => row.P95).DefaultIfEmpty(0).Max(), 1);
        var svg = Open("latency", height, "p50 and p95 latency per arm, milliseconds");
        for (var i = 0; i < rows.Count; i++)
        {
            var (arm, p50, p95) = rows[i];
            var y = 10 + i * RowHeight;
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{LabelWidth - 6}\" y=\"{y + 15}\" text-anchor=\"end\">{Escape(arm)}</text>");
            svg.Append(CultureInfo.InvariantCulture, $"<rect class=\"bar\" x=\"{LabelWidth}\" y=\"{y + 3}\" width=\"{p95 / max * plot:0.#}\" height=\"{RowHeight - 8}\" fill=\"{Colour(i)}\" fill-opacity=\"0.35\"><title>p95 {Figures.Milliseconds(p95)} ms</title></rect>");
            svg.Append(CultureInfo.InvariantCulture, $"<rect class=\"bar\" x=\"{LabelWidth}\" y=\"{y + 3}\" width=\"{p50 / max * plot:0.#}\" height=\"{RowHeight - 8}\" fill=\"{Colour(i)}\"><title>p50 {Figures.Milliseconds(p50)} ms</title></rect>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Math.Min(LabelWidth + p95 / max * plot + 4, Width - 110):0.#}\" y=\"{y + 15}\">{Figures.Milliseconds(p50)} / {Figures.Milliseconds(p95)} ms</text>");
        }

        return svg.Append("</svg>").ToString();
    }

    private static double X(double value, int plot) => Math.Clamp(value, 0, 1) * plot;

    private static void Axis(StringBuilder svg, int y, int plot, string[] labels)
    {
        svg.Append(CultureInfo.InvariantCulture, $"<path d=\"M{LabelWidth},{y} H{LabelWidth + plot}\" stroke=\"#888\"/>");
        for (var i = 0; i < labels.Length; i++)
        {
            var x = LabelWidth + plot * i / (labels.Length - 1.0);
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x:0.#}\" y=\"{y + 14}\" text-anchor=\"middle\" class=\"tick\">{labels[i]}</text>");
        }
    }

    private static StringBuilder Open(string id, int height, string title) =>
        new StringBuilder().Append(CultureInfo.InvariantCulture,
            $"<svg class=\"chart\" id=\"{Escape(id)}\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{height}\" viewBox=\"0 0 {Width} {height}\" role=\"img\" aria-label=\"{Escape(title)}\"><title>{Escape(title)}</title>");

    public static string Escape(string text) => WebUtility.HtmlEncode(text);
}
