using System.Collections.Concurrent;

namespace Curation.Core.Files;

/// <summary>
/// Every temporary file or folder this process has open under a name on disk, so that an abrupt exit (a second
/// Ctrl+C) can still remove them. Files are tracked while they exist and forgotten once committed or deleted.
/// </summary>
public static class TemporaryFiles
{
    private static readonly ConcurrentDictionary<string, bool> Open = new(StringComparer.Ordinal);

    public static void Track(string path, bool isFolder = false) => Open[path] = isFolder;

    public static void Forget(string path) => Open.TryRemove(path, out _);

    /// <summary>How many are open now.</summary>
    public static int Count => Open.Count;

    /// <summary>Deletes every tracked file and folder, best effort; returns how many it removed.</summary>
    public static int DeleteAll()
    {
        var removed = 0;
        foreach (var (path, isFolder) in Open.ToArray())
        {
            if (TryDelete(path, isFolder))
            {
                removed++;
            }

            Forget(path);
        }

        return removed;
    }

    /// <summary>Deletes a file or folder; false when it could not (it may already be gone).</summary>
    public static bool TryDelete(string path, bool isFolder)
    {
        try
        {
            if (isFolder)
            {
                if (Directory.Exists(path))
                {
                    Directory.Delete(path, recursive: true);
                    return true;
                }
            }
            else if (File.Exists(path))
            {
                File.Delete(path);
                return true;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort: the caller is leaving; a file it cannot remove is reported by the next run's sweep.
        }

        return false;
    }
}
