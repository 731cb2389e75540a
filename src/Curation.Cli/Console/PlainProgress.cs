using System.Globalization;
using Curation.Core.Runtime;

namespace Curation.Cli.Console;

/// <summary>Progress as plain log lines (CI logs, redirected output), at most one every few seconds.</summary>
internal sealed class PlainProgress(TextWriter error, TimeSpan interval) : IRunObserver
{
    private TimeSpan _lastReport = TimeSpan.Zero;

    public void OnProgress(RunProgress progress)
    {
        if (progress.Elapsed - _lastReport < interval)
        {
            return;
        }

        _lastReport = progress.Elapsed;
        error.WriteLine(ProgressText.Line(progress));
    }
}

internal static class ProgressText
{
    public static string Line(RunProgress progress)
    {
        var seconds = Math.Max(progress.Elapsed.TotalSeconds, 0.001);
        var percent = progress.TotalBytes > 0 ? $" ({100.0 * progress.BytesRead / progress.TotalBytes:F0}% of input)" : string.Empty;
        return string.Create(
            CultureInfo.InvariantCulture,
            $"[{progress.Elapsed:hh\\:mm\\:ss}] read {progress.RecordsRead:N0}{percent}, wrote {progress.RecordsWritten:N0}, rejected {progress.RecordsRejected:N0}; {progress.RecordsRead / seconds:N0} records/s, {progress.BytesRead / seconds / 1e6:F1} MB/s{(progress.Activity is { } activity ? "; " + activity : string.Empty)}");
    }
}
