using Microsoft.Win32.SafeHandles;

namespace Curation.Core.Files;

/// <summary>
/// Temporary working files (spills, sorted runs) in <c>$TMPDIR</c>. On Unix the name is removed right after the file
/// is opened, so the space returns to the disk when the handle closes, however the process ends, a kill included;
/// elsewhere the file is deleted on close. Files left by older versions are swept by <see cref="SweepStale"/>.
/// </summary>
public static class ScratchFile
{
    /// <summary>Every scratch file's name starts with this.</summary>
    public const string Prefix = "curation-";

    /// <summary>A new scratch file opened for reading and writing, e.g. kind "spill" → <c>curation-spill-…</c>.</summary>
    public static FileStream OpenStream(string kind, string? directory = null, int bufferBytes = 1 << 16)
    {
        var path = NewPath(kind, directory);
        var stream = Create(path, directory, () => new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, bufferBytes, DeleteOption));
        Unlink(path);
        return stream;
    }

    /// <summary>A new scratch file for <see cref="RandomAccess"/>.</summary>
    public static SafeFileHandle OpenHandle(string kind, string? directory = null)
    {
        var path = NewPath(kind, directory);
        var handle = Create(path, directory, () => File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, DeleteOption));
        Unlink(path);
        return handle;
    }

    /// <summary>The one line for a write to a scratch file that failed for lack of space, or null for other faults.</summary>
    public static CurationException? Fault(Exception exception, string? directory = null)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var folder = DisplayPath.For(directory ?? Path.GetTempPath()).TrimEnd('/') + "/";
        return FileFaults.Classify(exception) switch
        {
            FileFault.NoSpace => new CurationFileException(
                $"no space left on {folder} for temporary files; set TMPDIR to a folder with more room", folder, FileFault.NoSpace, exception, temporary: true),
            FileFault.Permission or FileFault.ReadOnly => new CurationFileException(
                $"cannot write temporary files in {folder}; set TMPDIR to a writable folder", folder, FileFault.Permission, exception, temporary: true),
            _ => null,
        };
    }

    /// <summary>
    /// Deletes scratch files older than <paramref name="olderThan"/> (default one day) in <paramref name="directory"/>
    /// (default <c>$TMPDIR</c>): what a killed run of an earlier version may have left. Returns how many it removed.
    /// </summary>
    public static int SweepStale(string? directory = null, TimeSpan? olderThan = null, TimeProvider? time = null)
    {
        var folder = directory ?? Path.GetTempPath();
        var cutoff = (time ?? TimeProvider.System).GetUtcNow().UtcDateTime - (olderThan ?? TimeSpan.FromDays(1));
        var removed = 0;
        try
        {
            foreach (var file in Directory.EnumerateFiles(folder, Prefix + "*.bin"))
            {
                if (File.GetLastWriteTimeUtc(file) < cutoff && TemporaryFiles.TryDelete(file, isFolder: false))
                {
                    removed++;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Sweeping is housekeeping; a temp folder that cannot be listed is not this run's problem.
        }

        return removed;
    }

    private static T Create<T>(string path, string? directory, Func<T> create)
    {
        try
        {
            return create();
        }
        catch (Exception ex) when (Fault(ex, directory) is { } fault)
        {
            throw fault;
        }
    }

    private static FileOptions DeleteOption => OperatingSystem.IsWindows() ? FileOptions.DeleteOnClose : FileOptions.None;

    private static string NewPath(string kind, string? directory)
    {
        var folder = directory ?? Path.GetTempPath();
        Create(folder, directory, () => Directory.CreateDirectory(folder));
        return Path.Combine(folder, $"{Prefix}{kind}-{Guid.NewGuid():N}.bin");
    }

    private static void Unlink(string path)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.Delete(path);
        }
    }
}
