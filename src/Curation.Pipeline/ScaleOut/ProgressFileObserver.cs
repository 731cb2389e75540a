using System.Globalization;
using Curation.Core;
using Curation.Core.Files;
using Curation.Core.Runtime;

namespace Curation.Pipeline.ScaleOut;

/// <summary>Keeps a running task's progress file up to date (every few seconds), for <c>curate status</c>; passes progress on.</summary>
internal sealed class ProgressFileObserver(string path, IRunObserver? next) : IRunObserver
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);
    private readonly Lock _lock = new();
    private TimeSpan? _written;

    public void OnProgress(RunProgress progress)
    {
        next?.OnProgress(progress);
        lock (_lock)
        {
            if (_written is { } written && progress.Elapsed - written < Interval)
            {
                return;
            }

            _written = progress.Elapsed;
            try
            {
                AtomicFile.WriteAllText(path, Format(progress));
            }
            catch (CurationException)
            {
                // Progress is a courtesy; the task goes on without it.
            }
        }
    }

    public static string Format(RunProgress progress) =>
        string.Create(CultureInfo.InvariantCulture, $"{progress.RecordsRead} {progress.RecordsWritten} {progress.RecordsRejected}\n");

    /// <summary>Records read, written and rejected, or null when the file is missing or unreadable.</summary>
    public static (long Read, long Written, long Rejected)? Read(string path)
    {
        try
        {
            var parts = File.ReadAllText(path).Split(' ', StringSplitOptions.TrimEntries);
            return parts.Length == 3
                && long.TryParse(parts[0], CultureInfo.InvariantCulture, out var read)
                && long.TryParse(parts[1], CultureInfo.InvariantCulture, out var written)
                && long.TryParse(parts[2], CultureInfo.InvariantCulture, out var rejected)
                ? (read, written, rejected)
                : null;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
