using System.Security.Cryptography;
using Curation.Core.Stages;

namespace Curation.Core.Files;

/// <summary>
/// Every file and folder one run writes, as one unit: each is written under a temporary name (<see cref="StagedFile"/>,
/// <see cref="StagedFolder"/>) and sealed when finished; <see cref="Commit"/> renames them all into place once the
/// whole run has succeeded, and <see cref="Abandon"/> keeps them as <c>*.incomplete</c> or removes them when it has
/// not. An earlier run's outputs under the same names are replaced atomically by a commit, and moved aside to
/// <c>.name.previous</c> by a failure, so that a failed run never leaves a stale file looking like its result.
/// </summary>
public sealed class RunOutputs : IDisposable
{
    public const string IncompleteSuffix = ".incomplete";

    /// <summary>The role of a run's manifest among its planned outputs.</summary>
    public const string ManifestRole = "manifest";

    private readonly List<PlannedOutput> _planned;
    private readonly Dictionary<string, int> _order;
    private readonly bool _requirePlanned;
    private readonly Lock _lock = new();
    private readonly List<Entry> _entries = [];
    private readonly List<Action> _afterCommit = [];
    private readonly List<string> _setAside = [];
    private bool _finished;

    /// <param name="planned">Every output the run may write; writing anything else is a programming error.</param>
    public RunOutputs(IEnumerable<PlannedOutput> planned)
        : this(planned, requirePlanned: true)
    {
    }

    private RunOutputs(IEnumerable<PlannedOutput> planned, bool requirePlanned)
    {
        ArgumentNullException.ThrowIfNull(planned);
        _planned = [.. planned.Select(output => output with { Path = Path.GetFullPath(output.Path) })];
        _order = new Dictionary<string, int>(RealPath.Comparer);
        for (var i = 0; i < _planned.Count; i++)
        {
            _order.TryAdd(_planned[i].Path, i);
        }

        _requirePlanned = requirePlanned;
    }

    /// <summary>Outputs for code that runs stages outside a planned run (tests, library use): any path is accepted.</summary>
    public static RunOutputs Unplanned() => new([], requirePlanned: false);

    public IReadOnlyList<PlannedOutput> Planned => _planned;

    /// <summary>Earlier complete outputs that <see cref="Abandon"/> moved aside (hidden <c>.name.previous</c> files), because this run did not replace them.</summary>
    public IReadOnlyList<string> SetAsideFiles => _setAside;

    /// <summary>The hidden name an earlier run's output is kept under when a later run into the same place fails.</summary>
    public static string PreviousPathFor(string path)
    {
        var full = Path.GetFullPath(path);
        return Path.Combine(Path.GetDirectoryName(full)!, "." + Path.GetFileName(full) + ".previous");
    }

    /// <summary>
    /// Before any work: removes the temporary and <c>*.incomplete</c> files an earlier run that failed or was killed
    /// left at the planned paths. An earlier run's complete outputs stay where they are until this run either
    /// replaces them (<see cref="Commit"/>) or fails (<see cref="Abandon"/> then moves them aside).
    /// </summary>
    /// <exception cref="CurationException">A file cannot be removed (permissions, read-only file system): one line naming it.</exception>
    public void SweepStale()
    {
        foreach (var output in _planned)
        {
            var temporary = output.IsFolder
                ? Path.Combine(Path.GetDirectoryName(output.Path)!, "." + Path.GetFileName(output.Path) + ".tmp")
                : StagedFile.TemporaryPathFor(output.Path);
            FileFaults.Guard(output.Path, () =>
            {
                DeleteIfPresent(temporary, output.IsFolder);
                DeleteIfPresent(output.Path + IncompleteSuffix, output.IsFolder);
            });
        }
    }

    /// <summary>Starts writing a planned file.</summary>
    public StagedFile CreateFile(string path)
    {
        var full = Require(path);
        var file = StagedFile.Create(full);
        Add(new Entry(full, file, null));
        return file;
    }

    /// <summary>
    /// Starts writing a planned file that is large and written front to back: where the system allows, its bytes go
    /// straight to the disk (<see cref="StagedFile.CreateSequential"/>).
    /// </summary>
    public StagedFile CreateSequentialFile(string path)
    {
        var full = Require(path);
        var file = StagedFile.CreateSequential(full);
        Add(new Entry(full, file, null));
        return file;
    }

    /// <summary>Starts writing a planned folder.</summary>
    public StagedFolder CreateFolder(string path)
    {
        var full = Require(path);
        var folder = StagedFolder.Create(full);
        Add(new Entry(full, null, folder));
        return folder;
    }

    /// <summary>
    /// Marks a file finished: flushes it to disk and records its size and SHA-256 (computed from the file when not
    /// given) for the manifest. Returns what it will be once committed.
    /// </summary>
    public OutputFileInfo Seal(StagedFile file, string role, long records, long? bytes = null, string? sha256 = null)
    {
        ArgumentNullException.ThrowIfNull(file);
        var entry = Find(file.FinalPath);
        file.Seal();
        if (bytes is null || sha256 is null)
        {
            using var stream = File.OpenRead(file.TemporaryPath);
            bytes = stream.Length;
            sha256 = Convert.ToHexStringLower(SHA256.HashData(stream));
        }

        entry.Files = [new OutputFileInfo(file.FinalPath, role, bytes.Value, sha256, records, Complete: true)];
        return entry.Files[0];
    }

    /// <summary>Marks a folder finished and records each of its files (records: how many the folder holds).</summary>
    public IReadOnlyList<OutputFileInfo> Seal(StagedFolder folder, string role, long records)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var entry = Find(folder.FinalPath);
        var files = new List<OutputFileInfo>();
        foreach (var file in Directory.EnumerateFiles(folder.TemporaryPath, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            using var stream = File.OpenRead(file);
            files.Add(new OutputFileInfo(
                Path.Combine(folder.FinalPath, Path.GetRelativePath(folder.TemporaryPath, file)), role, stream.Length, Convert.ToHexStringLower(SHA256.HashData(stream)), records, Complete: true));
        }

        entry.Files = files;
        return files;
    }

    /// <summary>Work that must happen only if the run's outputs are committed (e.g. recording an exported review batch).</summary>
    public void AfterCommit(Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        lock (_lock)
        {
            _afterCommit.Add(action);
        }
    }

    /// <summary>What the sealed outputs will be once committed, in plan order (data, rejects, stage files…).</summary>
    public IReadOnlyList<OutputFileInfo> Sealed()
    {
        lock (_lock)
        {
            return [.. Ordered().Where(entry => entry.Files is not null).SelectMany(entry => entry.Files!)];
        }
    }

    /// <summary>Renames every output into place (all must be sealed), replacing an earlier run's, then runs the after-commit work.</summary>
    /// <exception cref="InvalidOperationException">An output was started but never sealed.</exception>
    public IReadOnlyList<OutputFileInfo> Commit()
    {
        List<Entry> entries;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_finished, this);
            entries = Ordered();
            if (entries.FirstOrDefault(entry => entry.Files is null) is { } unsealed)
            {
                throw new InvalidOperationException($"{unsealed.Path} was started but never finished");
            }

            _finished = true;
        }

        foreach (var entry in entries)
        {
            entry.File?.Commit();
            entry.Folder?.Commit();
        }

        foreach (var action in _afterCommit)
        {
            action();
        }

        // An earlier failed run's kept outputs are stale now that this run has replaced them.
        foreach (var output in _planned)
        {
            TemporaryFiles.TryDelete(PreviousPathFor(output.Path), output.IsFolder);
        }

        return [.. entries.SelectMany(entry => entry.Files!)];
    }

    /// <summary>
    /// For a step of a sharded run, whose files reach their final paths only with the merge: moves every sealed file
    /// into <paramref name="folder"/> instead (named by its place in the plan and its own name), and returns each as it
    /// will be once at its final path, with where it is now.
    /// </summary>
    /// <exception cref="InvalidOperationException">An output was started but never sealed, or is a folder.</exception>
    internal IReadOnlyList<(OutputFileInfo File, string StoredAt)> CommitInto(string folder)
    {
        List<Entry> entries;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_finished, this);
            entries = Ordered();
            if (entries.FirstOrDefault(entry => entry.Files is null || entry.File is null) is { } unsealed)
            {
                throw new InvalidOperationException($"{unsealed.Path} was started but never finished, or is a folder");
            }

            _finished = true;
        }

        Directory.CreateDirectory(folder);
        var stored = new List<(OutputFileInfo File, string StoredAt)>();
        for (var i = 0; i < entries.Count; i++)
        {
            var target = Path.Combine(folder, $"{i:D2}-{Path.GetFileName(entries[i].Path)}");
            entries[i].File!.Commit(target);
            stored.Add((entries[i].Files![0], target));
        }

        return stored;
    }

    /// <summary>
    /// For a run that did not succeed: an earlier run's complete outputs at the planned paths are moved aside to
    /// <c>.name.previous</c>, so that nothing under a final name looks like this run's result; sealed outputs are kept
    /// as <c>name.incomplete</c> when <paramref name="keepPartial"/> (for a look at what was written), otherwise
    /// deleted, as unsealed ones always are. Returns what is left of this run, marked incomplete.
    /// </summary>
    public IReadOnlyList<OutputFileInfo> Abandon(bool keepPartial)
    {
        List<Entry> entries;
        lock (_lock)
        {
            if (_finished)
            {
                return [];
            }

            _finished = true;
            entries = Ordered();
        }

        MoveEarlierAside();
        var kept = new List<OutputFileInfo>();
        foreach (var entry in entries)
        {
            if (!keepPartial || entry.Files is null || !TryKeepPartial(entry))
            {
                entry.File?.Dispose();
                entry.Folder?.Dispose();
                continue;
            }

            var folderPath = entry.Folder?.FinalPath;
            kept.AddRange(entry.Files.Select(file => file with
            {
                Path = folderPath is null ? file.Path + IncompleteSuffix : folderPath + IncompleteSuffix + file.Path[folderPath.Length..],
                Complete = false,
            }));
        }

        return kept;
    }

    public void Dispose()
    {
        lock (_lock)
        {
            foreach (var entry in _entries)
            {
                entry.File?.Dispose();
                entry.Folder?.Dispose();
            }

            _finished = true;
        }
    }

    private void MoveEarlierAside()
    {
        var earlier = _planned.Where(output => output.IsFolder ? Directory.Exists(output.Path) : File.Exists(output.Path)).ToList();

        // A manifest alone is an earlier failed run's: nothing of value to keep, and this run's manifest replaces it.
        if (earlier.All(output => output.Role == ManifestRole))
        {
            return;
        }

        foreach (var output in earlier)
        {

            var previous = PreviousPathFor(output.Path);
            try
            {
                DeleteIfPresent(previous, output.IsFolder);
                if (output.IsFolder)
                {
                    Directory.Move(output.Path, previous);
                }
                else
                {
                    File.Move(output.Path, previous);
                }

                _setAside.Add(previous);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Left under its name; the failed manifest beside it still says this run did not succeed.
            }
        }
    }

    private static void DeleteIfPresent(string path, bool isFolder)
    {
        if (isFolder && Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }
        else if (!isFolder && File.Exists(path))
        {
            File.Delete(path);
        }
    }

    private static bool TryKeepPartial(Entry entry)
    {
        try
        {
            if (entry.File is { } file)
            {
                file.Commit(file.FinalPath + IncompleteSuffix);
            }
            else if (entry.Folder is { } folder)
            {
                TemporaryFiles.TryDelete(folder.FinalPath + IncompleteSuffix, isFolder: true);
                Directory.Move(folder.TemporaryPath, folder.FinalPath + IncompleteSuffix);
                folder.Dispose();
            }

            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CurationException)
        {
            return false;
        }
    }

    private string Require(string path)
    {
        var full = Path.GetFullPath(path);
        if (_requirePlanned && !_order.ContainsKey(full))
        {
            throw new InvalidOperationException($"{full} is not among the run's planned outputs; every output must be planned before the run starts");
        }

        return full;
    }

    private void Add(Entry entry)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_finished, this);
            if (_entries.Any(existing => existing.Path.Equals(entry.Path, RealPath.Comparison)))
            {
                entry.File?.Dispose();
                entry.Folder?.Dispose();
                throw new InvalidOperationException($"{entry.Path} is written twice in one run");
            }

            _entries.Add(entry);
        }
    }

    private Entry Find(string path)
    {
        lock (_lock)
        {
            return _entries.FirstOrDefault(entry => entry.Path.Equals(path, RealPath.Comparison))
                ?? throw new InvalidOperationException($"{path} was not started through these outputs");
        }
    }

    private List<Entry> Ordered() =>
        [.. _entries.Select((entry, index) => (Entry: entry, Index: index))
            .OrderBy(pair => _order.TryGetValue(pair.Entry.Path, out var planned) ? planned : int.MaxValue)
            .ThenBy(pair => pair.Index)
            .Select(pair => pair.Entry)];

    private sealed class Entry(string path, StagedFile? file, StagedFolder? folder)
    {
        public string Path { get; } = path;

        public StagedFile? File { get; } = file;

        public StagedFolder? Folder { get; } = folder;

        public List<OutputFileInfo>? Files { get; set; }
    }
}
