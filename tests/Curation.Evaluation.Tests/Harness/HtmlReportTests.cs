using System.Diagnostics;
using System.Text.RegularExpressions;
using Curation.Evaluation.Reports;
using Curation.TestKit;

namespace Curation.Evaluation.Tests.Harness;

/// <summary>
/// report.html opened in headless Chromium (Debian's <c>chromium</c>): the rendered DOM has the summary table with a
/// row per arm, the gates, and the charts; a screenshot is saved beside the test assembly.
/// </summary>
public sealed partial class HtmlReportTests : IDisposable
{
    private static readonly Lazy<string?> Chromium = new(() =>
        new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome" }.FirstOrDefault(File.Exists));

    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Html_IsSelfContained()
    {
        var html = HtmlReport.Render(ReportSamples.ThreeArms());

        Assert.DoesNotMatch("(src|href)=\"(https?:)?//", html);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("<svg class=\"chart\" id=\"metric-exact_match\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Html_EscapesAnswers()
    {
        var report = ReportSamples.ThreeArms();
        var row = report.ItemRows[0] with { Expected = "<script>alert(1)</script>" };

        var html = HtmlReport.Render(report with { ItemRows = [row, .. report.ItemRows.Skip(1)] });

        Assert.DoesNotContain("<script>alert(1)", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task HeadlessChromium_RendersTheSummaryTableAndCharts()
    {
        Skip.If(Chromium.Value is null, "chromium not found (Debian: apt-get install chromium)");
        var report = ReportSamples.ThreeArms();
        var page = _temp.File("report.html");
        await File.WriteAllTextAsync(page, HtmlReport.Render(report));

        var dom = await RunChromiumAsync("--dump-dom", new Uri(page).AbsoluteUri);
        var screenshot = Path.Combine(AppContext.BaseDirectory, "report-screenshot.png");
        File.Delete(screenshot);
        await RunChromiumAsync($"--screenshot={screenshot}", "--window-size=1280,1800", new Uri(page).AbsoluteUri);

        Assert.Matches("<section id=\"summary\">", dom);
        Assert.Equal(report.Arms.Select(arm => arm.Name), ArmRow().Matches(dom).Select(match => match.Groups[1].Value));
        Assert.Equal(report.Metrics.Count + 2, SvgChart().Count(dom));
        Assert.Equal(report.Arms.Count * report.Metrics.Count, Regex.Count(dom, "<rect class=\"bar\"[^>]*><title>[^<]*(finetuned|base|gpt-4o-mini): "));
        Assert.Contains("<td class=\"fail\">FAIL</td>", dom, StringComparison.Ordinal);
        var png = await File.ReadAllBytesAsync(screenshot);
        Assert.True(png.Length > 10_000, $"screenshot of {png.Length} bytes");
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
    }

    private async Task<string> RunChromiumAsync(params string[] args)
    {
        var info = new ProcessStartInfo(Chromium.Value!, ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", $"--user-data-dir={_temp.File("profile")}", .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"chromium exited with {process.ExitCode}: {await error}");
        return await output;
    }

    [GeneratedRegex("<tr data-arm=\"([^\"]+)\">")]
    private static partial Regex ArmRow();

    [GeneratedRegex("<svg class=\"chart\"")]
    private static partial Regex SvgChart();
}
