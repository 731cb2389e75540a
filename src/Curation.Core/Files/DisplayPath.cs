namespace Curation.Core.Files;

/// <summary>
/// The form of a path shown to users and written into source references: relative to the current directory
/// (with '/' separators, so output is the same on every OS) when the file is beneath it, otherwise absolute.
/// </summary>
public static class DisplayPath
{
    public static string For(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = Path.GetFullPath(path);
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, full);
        if (Path.IsPathRooted(relative) || relative == ".." || relative.StartsWith(".." + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            return full;
        }

        return Path.DirectorySeparatorChar == '/' ? relative : relative.Replace(Path.DirectorySeparatorChar, '/');
    }
}
