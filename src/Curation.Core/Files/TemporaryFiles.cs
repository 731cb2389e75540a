namespace Curation.Core.Files;

/// <summary>
/// Every temporary file or folder this process has open under a name on disk, so that an abrupt exit (a second
/// Ctrl+C) can still remove them. Files are tracked from their creation until they are committed or deleted.
/// </summary>
public static class TemporaryFiles
{
    private static readonly TemporaryFileRegistry Registry = new();

    /// <summary>Tracks <paramref name="path"/> and runs <paramref name="create"/>, which puts it on disk.</summary>
    /// <exception cref="OperationCanceledException">The process is aborting (<see cref="AbandonAll"/> ran): nothing is created.</exception>
    public static T Create<T>(string path, bool isFolder, Func<T> create) => Registry.Create(path, isFolder, create);

    public static void Forget(string path) => Registry.Forget(path);

    /// <summary>How many are open now.</summary>
    public static int Count => Registry.Count;

    /// <summary>Whether <paramref name="path"/> is open now.</summary>
    internal static bool IsTracked(string path) => Registry.Contains(path);

    /// <summary>
    /// Deletes every tracked file and folder, best effort, and refuses to create more: for a process that is about to
    /// exit. Returns how many it removed.
    /// </summary>
    public static int AbandonAll() => Registry.Abandon();

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
