namespace Curation.Core.Files;

/// <summary>
/// Real paths, with every symbolic link followed in every component as realpath(3) does, so that one file reached
/// through different links is recognised as one. Components that do not exist are kept as written. Results are cached,
/// so a folder walk resolves each folder once. Not thread-safe.
/// </summary>
public sealed class RealPathResolver
{
    /// <summary>Linux's own limit before it reports a loop (ELOOP).</summary>
    public const int MaxLinks = 40;

    private static readonly char[] Separators = [Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar];

    private readonly Dictionary<string, string> _cache = new(RealPath.Comparer);

    /// <exception cref="CurationException">A chain of links never ends (a link loop).</exception>
    public string Of(string path)
    {
        var links = 0;
        return Resolve(Path.GetFullPath(path), path, ref links);
    }

    private string Resolve(string full, string asGiven, ref int links)
    {
        full = Path.TrimEndingDirectorySeparator(full);
        if (_cache.TryGetValue(full, out var cached))
        {
            return cached;
        }

        var parent = Path.GetDirectoryName(full);
        if (parent is null)
        {
            return full;
        }

        var realParent = Resolve(parent, asGiven, ref links);
        var candidate = Path.Join(realParent, Path.GetFileName(full));
        var target = LinkTarget(candidate);
        string real;
        if (target is null)
        {
            real = candidate;
        }
        else
        {
            if (++links > MaxLinks)
            {
                throw new CurationException($"{DisplayPath.For(asGiven)}: too many levels of symbolic links (a link loop)");
            }

            real = Follow(realParent, target, asGiven, ref links);
        }

        _cache[full] = real;
        return real;
    }

    /// <summary>Resolves a link's target one component at a time, so that ".." after a link leaves the link's target.</summary>
    private string Follow(string realParent, string target, string asGiven, ref int links)
    {
        var root = Path.GetPathRoot(target);
        var current = string.IsNullOrEmpty(root) ? realParent : Path.GetFullPath(root);
        foreach (var part in target[(root?.Length ?? 0)..].Split(Separators, StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == ".")
            {
                continue;
            }

            // current is real, so its lexical parent is its real parent.
            current = part == ".." ? Path.GetDirectoryName(current) ?? current : Resolve(Path.Join(current, part), asGiven, ref links);
        }

        return current;
    }

    private static string? LinkTarget(string path)
    {
        try
        {
            // Only Windows tells directory links (junctions) from file links by the kind of object asked.
            FileSystemInfo info = OperatingSystem.IsWindows() && Directory.Exists(path) ? new DirectoryInfo(path) : new FileInfo(path);
            return info.LinkTarget;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Unreadable: take the path as written, as for a missing component.
            return null;
        }
    }
}
