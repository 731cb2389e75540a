namespace Curation.Core.Files;

/// <summary>
/// The temporary files and folders one process has open under a name on disk. <see cref="Abandon"/> deletes them
/// all and refuses new ones from then on, so that a file created while the process is aborting (a second Ctrl+C
/// arriving while a manifest is being staged) cannot outlive it: creation and abandonment take turns under one lock.
/// </summary>
internal sealed class TemporaryFileRegistry
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, bool> _open = new(StringComparer.Ordinal);
    private bool _abandoned;

    /// <summary>How many are open now.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _open.Count;
            }
        }
    }

    /// <summary>Whether <paramref name="path"/> is open now.</summary>
    public bool Contains(string path)
    {
        lock (_gate)
        {
            return _open.ContainsKey(path);
        }
    }

    /// <summary>Records <paramref name="path"/> and runs <paramref name="create"/>, which puts it on disk.</summary>
    /// <exception cref="OperationCanceledException">The process is aborting: nothing is created.</exception>
    public T Create<T>(string path, bool isFolder, Func<T> create)
    {
        lock (_gate)
        {
            if (_abandoned)
            {
                throw new OperationCanceledException("aborting: no temporary file is created any more");
            }

            _open[path] = isFolder;
            try
            {
                return create();
            }
            catch
            {
                _open.Remove(path);
                throw;
            }
        }
    }

    /// <summary>Stops tracking <paramref name="path"/> (it was committed or deleted).</summary>
    public void Forget(string path)
    {
        lock (_gate)
        {
            _open.Remove(path);
        }
    }

    /// <summary>Deletes every open file and folder, best effort, and refuses new ones; returns how many it removed.</summary>
    public int Abandon()
    {
        lock (_gate)
        {
            _abandoned = true;
            var removed = 0;
            foreach (var (path, isFolder) in _open)
            {
                if (TemporaryFiles.TryDelete(path, isFolder))
                {
                    removed++;
                }
            }

            _open.Clear();
            return removed;
        }
    }
}
