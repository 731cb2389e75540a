namespace Curation.Core.Files;

/// <summary>
/// A file written under a hidden temporary name beside its final path (<c>.name.tmp</c>), so that nothing ever
/// appears under the final name half-written. <see cref="Seal"/> flushes it to disk; <see cref="Commit"/> renames it
/// into place; disposing it uncommitted deletes it. While it exists it is tracked in <see cref="TemporaryFiles"/>.
/// </summary>
public sealed class StagedFile : IDisposable, IAsyncDisposable
{
    private const int DefaultBufferBytes = 1 << 16;

    private readonly FileStream _stream;
    private bool _sealed;
    private bool _done;

    private StagedFile(string finalPath, int bufferBytes)
    {
        FinalPath = finalPath;
        TemporaryPath = TemporaryPathFor(finalPath);
        var directory = Path.GetDirectoryName(finalPath)!;
        FileFaults.Guard(finalPath, () => Directory.CreateDirectory(directory));
        TemporaryFiles.Track(TemporaryPath);
        try
        {
            // Whatever a killed run left under the temporary name goes first, a link included: a new file is created
            // there, so that a write never follows a link onto another file.
            _stream = FileFaults.Guard(finalPath, () =>
            {
                File.Delete(TemporaryPath);
                return new FileStream(TemporaryPath, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read, bufferBytes, FileOptions.None);
            });
        }
        catch
        {
            TemporaryFiles.Forget(TemporaryPath);
            throw;
        }
    }

    /// <summary>Where the file will be once committed (a full path).</summary>
    public string FinalPath { get; }

    /// <summary>Where its bytes are until then.</summary>
    public string TemporaryPath { get; }

    /// <summary>The file being written; valid until <see cref="Seal"/>.</summary>
    public FileStream Stream
    {
        get
        {
            ObjectDisposedException.ThrowIf(_sealed, this);
            return _stream;
        }
    }

    /// <summary>Whether the file was renamed to its final (or another) name.</summary>
    public bool IsCommitted { get; private set; }

    /// <summary>Starts writing <paramref name="path"/>; the folder is created when missing.</summary>
    /// <exception cref="CurationException">The folder cannot be created or written (no space, no permission): one line naming it.</exception>
    public static StagedFile Create(string path, int bufferBytes = DefaultBufferBytes)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return new StagedFile(Path.GetFullPath(path), bufferBytes);
    }

    /// <summary>The hidden name a file is written under before it is committed.</summary>
    public static string TemporaryPathFor(string path)
    {
        var full = Path.GetFullPath(path);
        return Path.Combine(Path.GetDirectoryName(full)!, "." + Path.GetFileName(full) + ".tmp");
    }

    /// <summary>Flushes everything to disk and closes the file; it stays under its temporary name.</summary>
    /// <exception cref="CurationException">The disk is full or failing: one line naming the file.</exception>
    public void Seal()
    {
        if (_sealed)
        {
            return;
        }

        FileFaults.Guard(FinalPath, () =>
        {
            _stream.Flush(flushToDisk: true);
            _stream.Dispose();
        });
        _sealed = true;
    }

    /// <summary>Seals the file if needed and renames it to <paramref name="path"/> (default: its final path), replacing what is there.</summary>
    public string Commit(string? path = null)
    {
        ObjectDisposedException.ThrowIf(_done, this);
        Seal();
        var target = path is null ? FinalPath : Path.GetFullPath(path);
        FileFaults.Guard(target, () => File.Move(TemporaryPath, target, overwrite: true));
        TemporaryFiles.Forget(TemporaryPath);
        IsCommitted = true;
        _done = true;
        return target;
    }

    /// <summary>Closes and deletes the temporary file unless it was committed.</summary>
    public void Dispose()
    {
        if (_done)
        {
            return;
        }

        _done = true;
        try
        {
            _stream.Dispose();
        }
        catch (IOException)
        {
            // The file is being abandoned: a buffer that cannot be flushed (full disk) changes nothing.
        }

        TemporaryFiles.TryDelete(TemporaryPath, isFolder: false);
        TemporaryFiles.Forget(TemporaryPath);
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }
}
