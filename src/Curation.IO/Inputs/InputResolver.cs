using Curation.Core.Files;
using Curation.Core;
using Curation.Core.Config;
using Microsoft.Extensions.FileSystemGlobbing;
using Microsoft.Extensions.FileSystemGlobbing.Abstractions;

namespace Curation.IO.Inputs;

/// <summary>
/// Turns <c>inputs:</c> entries (a file, a folder, or a glob such as <c>data/**/*.jsonl.gz</c>, relative to a base
/// directory) into full file paths. Folders and globs yield supported files only, sorted ordinally by their path
/// relative to the folder or glob root, so the read order never depends on the file system.
/// </summary>
public static class InputResolver
{
    private static readonly StringComparison PathComparison =
        OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

    /// <summary>Resolves every entry, in order. A file matched by two entries is an error (it would be read twice).</summary>
    public static IReadOnlyList<ResolvedInput> ResolveAll(IEnumerable<InputOptions> inputs, string baseDirectory)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var comparer = PathComparison == StringComparison.Ordinal ? StringComparer.Ordinal : StringComparer.OrdinalIgnoreCase;
        var firstEntry = new Dictionary<string, int>(comparer);
        var resolved = new List<ResolvedInput>();
        var entry = 0;
        foreach (var input in inputs)
        {
            entry++;
            var files = Resolve(input, baseDirectory);
            foreach (var file in files)
            {
                if (!firstEntry.TryAdd(file, entry))
                {
                    throw new CurationException(
                        $"{DisplayPath.For(file)}: matched by inputs {firstEntry[file]} and {entry}: each file may be read only once");
                }
            }

            resolved.Add(new ResolvedInput(input, files));
        }

        return resolved;
    }

    /// <summary>Resolves one entry to full paths in read order; never empty.</summary>
    public static IReadOnlyList<string> Resolve(InputOptions input, string baseDirectory)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentException.ThrowIfNullOrEmpty(baseDirectory);
        var path = input.Path;
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new CurationException("inputs: field 'path': expected a file, a folder or a glob, got nothing");
        }

        if (path.Contains('*', StringComparison.Ordinal))
        {
            return RequireAny(path, ResolveGlob(path, baseDirectory));
        }

        var full = Path.GetFullPath(path, baseDirectory);
        if (File.Exists(full))
        {
            if (!InputFileType.TryFromPath(full, out _))
            {
                throw new CurationException($"{path}: unsupported input file type (supported: {InputFileType.SupportedList})");
            }

            return [full];
        }

        if (Directory.Exists(full))
        {
            return RequireAny(path, ResolveFolder(path, full));
        }

        throw new CurationException($"{path}: input not found: no such file or folder ({full})");
    }

    private static List<string> ResolveFolder(string path, string folder)
    {
        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = false };
        var found = new List<(string Relative, string Full)>();
        try
        {
            foreach (var file in Directory.EnumerateFiles(folder, "*", options))
            {
                if (InputFileType.TryFromPath(file, out _))
                {
                    found.Add((Normalize(Path.GetRelativePath(folder, file)), file));
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CurationException($"{path}: cannot list the folder: {e.Message}", e);
        }

        return Sorted(found);
    }

    private static List<string> ResolveGlob(string pattern, string baseDirectory)
    {
        var segments = pattern.Replace('\\', '/').Split('/');
        var firstWild = Array.FindIndex(segments, s => s.Contains('*', StringComparison.Ordinal));
        var rootPart = string.Join('/', segments, 0, firstWild);
        if (rootPart.Length == 0 && pattern.StartsWith('/'))
        {
            rootPart = "/";
        }

        var root = Path.GetFullPath(rootPart.Length == 0 ? "." : rootPart, baseDirectory);
        if (!Directory.Exists(root))
        {
            return [];
        }

        var matcher = new Matcher(PathComparison);
        matcher.AddInclude(string.Join('/', segments, firstWild, segments.Length - firstWild));
        var found = new List<(string Relative, string Full)>();
        foreach (var match in matcher.Execute(new DirectoryInfoWrapper(new DirectoryInfo(root))).Files)
        {
            if (InputFileType.TryFromPath(match.Path, out _) && !IsHidden(match.Path))
            {
                found.Add((Normalize(match.Path), Path.GetFullPath(match.Path, root)));
            }
        }

        return Sorted(found);
    }

    /// <summary>Dot files and files in dot folders, which folder inputs skip too (editor backups, .git, .cache).</summary>
    private static bool IsHidden(string relativePath) =>
        relativePath.Split('/').Any(segment => segment.StartsWith('.') && segment is not ("." or ".."));

    private static List<string> Sorted(List<(string Relative, string Full)> found)
    {
        found.Sort((a, b) => string.CompareOrdinal(a.Relative, b.Relative));
        var files = new List<string>(found.Count);
        foreach (var (_, full) in found)
        {
            files.Add(full);
        }

        return files;
    }

    private static List<string> RequireAny(string path, List<string> files) => files.Count > 0
        ? files
        : throw new CurationException($"{path}: no input files match (supported: {InputFileType.SupportedList})");

    private static string Normalize(string relative) => relative.Replace('\\', '/');
}
