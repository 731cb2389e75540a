using Curation.Core.Files;
using Microsoft.Extensions.FileSystemGlobbing.Abstractions;

namespace Curation.IO.Inputs;

/// <summary>
/// A folder as the glob matcher walks it, following symbolic links but never into a folder that is already being
/// walked further up (by real path): a link back up would otherwise repeat the same files until the path got too long.
/// Hidden entries (dot names, and the hidden attribute where the OS has one) are left out.
/// </summary>
internal sealed class WalkedDirectory : DirectoryInfoBase
{
    private static readonly EnumerationOptions Entries = new()
    {
        RecurseSubdirectories = false,
        IgnoreInaccessible = false,
        AttributesToSkip = FileAttributes.Hidden | FileAttributes.System,
    };

    private readonly DirectoryInfo _directory;
    private readonly string _realPath;
    private readonly WalkedDirectory? _parent;
    private readonly WalkContext _context;

    private WalkedDirectory(DirectoryInfo directory, string realPath, WalkedDirectory? parent, WalkContext context)
    {
        _directory = directory;
        _realPath = realPath;
        _parent = parent;
        _context = context;
    }

    public override string Name => _directory.Name;

    public override string FullName => _directory.FullName;

    public override DirectoryInfoBase? ParentDirectory => _parent;

    /// <summary>The root of a walk; loops and their skips are reported into <paramref name="context"/>.</summary>
    public static WalkedDirectory Root(string path, WalkContext context) =>
        new(new DirectoryInfo(path), context.RealPathResolver.Of(path), parent: null, context);

    public override IEnumerable<FileSystemInfoBase> EnumerateFileSystemInfos()
    {
        foreach (var entry in _directory.EnumerateFileSystemInfos("*", Entries))
        {
            if (entry.Name.StartsWith('.'))
            {
                continue;
            }

            if (entry is DirectoryInfo directory)
            {
                yield return Enter(directory);
            }
            else if (entry is FileInfo file)
            {
                yield return new FileInfoWrapper(file);
            }
        }
    }

    public override DirectoryInfoBase? GetDirectory(string path)
    {
        if (path == "..")
        {
            return _parent is not null ? _parent : new DirectoryInfoWrapper(_directory.Parent ?? _directory);
        }

        var directory = new DirectoryInfo(Path.Combine(_directory.FullName, path));
        return directory.Exists ? Enter(directory) : null;
    }

    public override FileInfoBase? GetFile(string path) => new FileInfoWrapper(new FileInfo(Path.Combine(_directory.FullName, path)));

    private DirectoryInfoBase Enter(DirectoryInfo directory)
    {
        var real = _context.RealPathResolver.Of(directory.FullName);
        for (var walked = this; walked is not null; walked = walked._parent)
        {
            if (RealPath.Comparer.Equals(walked._realPath, real))
            {
                return new LoopDirectory(directory, real, _context);
            }
        }

        return new WalkedDirectory(directory, real, this, _context);
    }

    /// <summary>A link back to a folder being walked: empty, and reported as skipped if the matcher looks inside.</summary>
    private sealed class LoopDirectory(DirectoryInfo directory, string realPath, WalkContext context) : DirectoryInfoBase
    {
        public override string Name => directory.Name;

        public override string FullName => directory.FullName;

        public override DirectoryInfoBase? ParentDirectory => null;

        public override IEnumerable<FileSystemInfoBase> EnumerateFileSystemInfos()
        {
            context.Skip(directory.FullName, $"a link to {Core.Files.DisplayPath.For(realPath)}, a folder this input is already reading (a loop): not followed");
            return [];
        }

        public override DirectoryInfoBase? GetDirectory(string path) => null;

        public override FileInfoBase? GetFile(string path) => null;
    }
}
