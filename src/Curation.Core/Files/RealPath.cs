namespace Curation.Core.Files;

/// <summary>
/// A path with every symbolic link in it resolved, as realpath(3) does, also for paths that do not exist yet (the
/// part that exists is resolved, the rest appended), so that two names for one file compare equal.
/// </summary>
public static class RealPath
{
    /// <summary>As many links as Linux follows in one lookup before it reports a loop.</summary>
    public const int MaxLinks = 40;

    public static StringComparer Comparer { get; } =
        OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;

    public static StringComparison Comparison { get; } =
        OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

    /// <exception cref="CurationException">The path runs through a loop of links.</exception>
    public static string Of(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = Path.GetFullPath(path);
        var root = Path.GetPathRoot(full)!;
        var pending = new Stack<string>(Split(full[root.Length..]).Reverse());
        var current = root;
        var links = 0;
        while (pending.Count > 0)
        {
            var part = pending.Pop();
            var next = Path.Combine(current, part);
            FileSystemInfo info = Directory.Exists(next) ? new DirectoryInfo(next) : new FileInfo(next);
            if (info.LinkTarget is { } target)
            {
                if (++links > MaxLinks)
                {
                    throw new CurationException($"{DisplayPath.For(path)}: too many levels of symbolic links (a loop?)");
                }

                var resolved = Path.GetFullPath(target, current);
                foreach (var piece in Split(resolved[Path.GetPathRoot(resolved)!.Length..]).Reverse())
                {
                    pending.Push(piece);
                }

                current = Path.GetPathRoot(resolved)!;
                continue;
            }

            if (!info.Exists)
            {
                // Nothing beneath a missing component can be a link: the rest is taken as written.
                current = next;
                while (pending.Count > 0)
                {
                    current = Path.Combine(current, pending.Pop());
                }

                break;
            }

            current = next;
        }

        return Path.TrimEndingDirectorySeparator(current);
    }

    /// <summary>Whether <paramref name="path"/> is <paramref name="folder"/> or lies beneath it (both real paths).</summary>
    public static bool IsInside(string path, string folder)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(folder);
        var prefix = Path.TrimEndingDirectorySeparator(folder);
        return path.Equals(prefix, Comparison)
            || (path.Length > prefix.Length && path.StartsWith(prefix, Comparison)
                && (path[prefix.Length] == Path.DirectorySeparatorChar || prefix.EndsWith(Path.DirectorySeparatorChar)));
    }

    private static string[] Split(string relative) =>
        relative.Split([Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar], StringSplitOptions.RemoveEmptyEntries);
}
