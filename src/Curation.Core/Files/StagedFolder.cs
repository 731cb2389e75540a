namespace Curation.Core.Files;

/// <summary>
/// A folder of files written under a hidden temporary name beside its final path (<c>.name.tmp/</c>) and renamed
/// into place at once on <see cref="Commit"/>, so that a reader never sees half of it. A folder already at the
/// final path is replaced only after the new one is complete. Use it for folders curate owns whole (a review
/// export, a checkpoint, an adapter); disposing it uncommitted deletes the temporary folder.
/// </summary>
public sealed class StagedFolder : IDisposable
{
    private bool _done;

    private StagedFolder(string finalPath)
    {
        FinalPath = finalPath;
        TemporaryPath = Path.Combine(Path.GetDirectoryName(finalPath)!, "." + Path.GetFileName(finalPath) + ".tmp");
        TemporaryFiles.Create(TemporaryPath, isFolder: true, () => FileFaults.Guard(finalPath, () =>
        {
            if (Directory.Exists(TemporaryPath))
            {
                Directory.Delete(TemporaryPath, recursive: true);
            }

            return Directory.CreateDirectory(TemporaryPath);
        }));
    }

    public string FinalPath { get; }

    public string TemporaryPath { get; }

    public bool IsCommitted { get; private set; }

    /// <exception cref="CurationException">The parent folder cannot be written: one line naming it.</exception>
    public static StagedFolder Create(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return new StagedFolder(Path.GetFullPath(path).TrimEnd(Path.DirectorySeparatorChar));
    }

    /// <summary>Where to write <paramref name="relative"/> now (inside the temporary folder).</summary>
    public string PathOf(string relative) => Path.Combine(TemporaryPath, relative);

    /// <summary>Where <paramref name="relative"/> will be once committed.</summary>
    public string FinalPathOf(string relative) => Path.Combine(FinalPath, relative);

    /// <summary>Moves the finished folder into place, replacing the one there.</summary>
    public void Commit()
    {
        ObjectDisposedException.ThrowIf(_done, this);
        var old = Path.Combine(Path.GetDirectoryName(FinalPath)!, "." + Path.GetFileName(FinalPath) + ".old");
        FileFaults.Guard(FinalPath, () =>
        {
            if (Directory.Exists(FinalPath))
            {
                if (Directory.Exists(old))
                {
                    Directory.Delete(old, recursive: true);
                }

                Directory.Move(FinalPath, old);
            }

            Directory.Move(TemporaryPath, FinalPath);
        });
        TemporaryFiles.Forget(TemporaryPath);
        TemporaryFiles.TryDelete(old, isFolder: true);
        IsCommitted = true;
        _done = true;
    }

    public void Dispose()
    {
        if (_done)
        {
            return;
        }

        _done = true;
        TemporaryFiles.TryDelete(TemporaryPath, isFolder: true);
        TemporaryFiles.Forget(TemporaryPath);
    }
}
