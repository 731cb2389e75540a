namespace Curation.Core.Files;

/// <summary>
/// A path with every symbolic link in it resolved, as realpath(3) does, also for paths that do not exist yet (the
/// part that exists is resolved, the rest kept as written), so that two names for one file compare equal. For many
/// paths under the same folders, reuse a <see cref="RealPathResolver"/>, which caches.
/// </summary>
public static class RealPath
{
    public static StringComparer Comparer { get; } =
        OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;

    public static StringComparison Comparison { get; } =
        OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

    /// <exception cref="CurationException">The path runs through a loop of links.</exception>
    public static string Of(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return new RealPathResolver().Of(path);
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
}
