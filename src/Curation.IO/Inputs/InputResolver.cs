using Curation.Core;
using Curation.Core.Config;
using Curation.Core.Files;
using Microsoft.Extensions.FileSystemGlobbing;

namespace Curation.IO.Inputs;

/// <summary>
/// Turns <c>inputs:</c> entries (a file, a folder, or a glob such as <c>data/**/*.jsonl.gz</c>, relative to a base
/// directory) into full file paths. Folders and globs yield supported files only, sorted ordinally by their path
/// relative to the folder or glob root, so the read order never depends on the file system. Every file is read once:
/// files are told apart by real path (symbolic links followed), a link back into a folder being walked is not
/// followed, and what earlier curate runs wrote (their manifests list it) is skipped, not read as data.
/// </summary>
public static class InputResolver
{
    /// <summary>Resolves every entry, in order. A file matched by two entries is an error (it would be read twice).</summary>
    public static IReadOnlyList<ResolvedInput> ResolveAll(IReadOnlyList<InputOptions> inputs, string baseDirectory) =>
        ResolveEach(inputs, baseDirectory, (_, exception) => throw exception);

    /// <summary>
    /// Resolves every entry, in order, reporting each problem (an entry that resolves to nothing, a file an earlier
    /// entry matched) with its entry's index and going on; an entry with a problem is left out of the result.
    /// </summary>
    /// <param name="skip">Indices of entries not to resolve (e.g. entries whose settings are wrong).</param>
    public static IReadOnlyList<ResolvedInput> ResolveEach(
        IReadOnlyList<InputOptions> inputs, string baseDirectory, Action<int, CurationException> problem, IReadOnlySet<int>? skip = null)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(problem);
        var realPaths = new RealPathResolver();
        var firstEntry = new Dictionary<string, (int Entry, string Path)>(RealPath.Comparer);
        var resolved = new List<ResolvedInput>();
        for (var index = 0; index < inputs.Count; index++)
        {
            if (skip?.Contains(index) == true)
            {
                continue;
            }

            var entry = index + 1;
            ResolvedInput one;
            try
            {
                one = Resolve(inputs[index], baseDirectory, realPaths) with { Entry = entry };
            }
            catch (CurationException exception)
            {
                problem(index, exception);
                continue;
            }

            if (one.Files.Select(file => (File: file, Real: realPaths.Of(file))).FirstOrDefault(file => firstEntry.ContainsKey(file.Real)) is { File: not null } twice)
            {
                var (first, firstPath) = firstEntry[twice.Real];
                var alias = DisplayPath.For(firstPath) == DisplayPath.For(twice.File) ? string.Empty : $" (as {DisplayPath.For(firstPath)}: the same file)";
                problem(index, new CurationException($"{DisplayPath.For(twice.File)}: matched by inputs {first} and {entry}{alias}: each file may be read only once"));
                continue;
            }

            foreach (var file in one.Files)
            {
                firstEntry.TryAdd(realPaths.Of(file), (entry, file));
            }

            resolved.Add(one);
        }

        return resolved;
    }

    /// <summary>Resolves one entry to full paths in read order; never empty.</summary>
    public static IReadOnlyList<string> Resolve(InputOptions input, string baseDirectory) => ResolveEntry(input, baseDirectory).Files;

    /// <summary>Resolves one entry: its files in read order (never empty) and what it skipped.</summary>
    public static ResolvedInput ResolveEntry(InputOptions input, string baseDirectory) => Resolve(input, baseDirectory, new RealPathResolver());

    private static ResolvedInput Resolve(InputOptions input, string baseDirectory, RealPathResolver realPaths)
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
            var (root, pattern) = SplitGlob(path, baseDirectory);
            return Directory.Exists(root)
                ? Walk(input, root, pattern, realPaths)
                : RequireAny(input, [], [], earlierData: null);
        }

        // File.Exists is true for a link whose target is gone; the real path has no links left to hide that.
        var full = Path.GetFullPath(path, baseDirectory);
        var real = realPaths.Of(full);
        if (File.Exists(real))
        {
            if (!InputFileType.TryFromPath(full, out _))
            {
                throw new CurationException($"{path}: unsupported input file type (supported: {InputFileType.SupportedList})");
            }

            if (EarlierRuns.RefuseExplicit(full, realPaths) is { } refusal)
            {
                throw new CurationException($"{path}: {refusal}");
            }

            return new ResolvedInput(input, [full]);
        }

        if (Directory.Exists(real))
        {
            return Walk(input, full, "**/*", realPaths);
        }

        if (new FileInfo(full).LinkTarget is { } target)
        {
            throw new CurationException($"{path}: input not found: a symbolic link to {target}, which does not exist");
        }

        throw new CurationException($"{path}: input not found: no such file or folder ({full})");
    }

    /// <summary>The folder before the first segment with a '*', and the pattern from there on.</summary>
    private static (string Root, string Pattern) SplitGlob(string glob, string baseDirectory)
    {
        var segments = glob.Replace('\\', '/').Split('/');
        var firstWild = Array.FindIndex(segments, s => s.Contains('*', StringComparison.Ordinal));
        var rootPart = string.Join('/', segments, 0, firstWild);
        if (rootPart.Length == 0 && glob.StartsWith('/'))
        {
            rootPart = "/";
        }

        var root = Path.GetFullPath(rootPart.Length == 0 ? "." : rootPart, baseDirectory);
        return (root, string.Join('/', segments, firstWild, segments.Length - firstWild));
    }

    /// <summary>The supported files under <paramref name="root"/> that match <paramref name="pattern"/>, each real file once.</summary>
    private static ResolvedInput Walk(InputOptions input, string root, string pattern, RealPathResolver realPaths)
    {
        var context = new WalkContext(realPaths);
        var matcher = new Matcher(RealPath.Comparison);
        matcher.AddInclude(pattern);
        var found = new List<(string Relative, string Full)>();
        try
        {
            foreach (var match in matcher.Execute(WalkedDirectory.Root(root, context)).Files)
            {
                if (InputFileType.TryFromPath(match.Path, out _) && !IsHidden(match.Path))
                {
                    found.Add((Normalize(match.Path), Path.GetFullPath(match.Path, root)));
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CurationException($"{input.Path}: cannot list the folder: {e.Message}", e);
        }

        found.Sort((a, b) => string.CompareOrdinal(a.Relative, b.Relative));
        var earlierRuns = EarlierRuns.Near(found.Select(file => file.Full), root, realPaths);
        var firstSeen = new Dictionary<string, string>(RealPath.Comparer);
        var files = new List<string>(found.Count);
        string? earlierData = null;
        var fromEarlierRuns = 0;
        foreach (var (_, full) in found)
        {
            var real = realPaths.Of(full);
            if (earlierRuns.TryGet(real, out var reason, out var role))
            {
                context.Skip(full, reason);
                earlierData ??= role == "data" ? full : null;
                fromEarlierRuns++;
            }
            else if (!File.Exists(real))
            {
                throw new CurationException($"{DisplayPath.For(full)}: input not found: a symbolic link to {new FileInfo(full).LinkTarget}, which does not exist");
            }
            else if (!firstSeen.TryAdd(real, full))
            {
                context.Skip(full, $"the same file as {DisplayPath.For(firstSeen[real])}, reached again through a symbolic link: read once");
            }
            else
            {
                files.Add(full);
            }
        }

        var skipped = context.Skipped();
        return RequireAny(input, files, skipped, fromEarlierRuns == skipped.Count ? earlierData : null);
    }

    /// <summary>Dot files and files in dot folders, which folder inputs skip too (editor backups, .git, .cache).</summary>
    private static bool IsHidden(string relativePath) =>
        relativePath.Split('/').Any(segment => segment.StartsWith('.') && segment is not ("." or ".."));

    /// <param name="earlierData">The data file of an earlier run, when only such a run's files were skipped.</param>
    private static ResolvedInput RequireAny(InputOptions input, List<string> files, IReadOnlyList<SkippedFile> skipped, string? earlierData)
    {
        if (files.Count > 0)
        {
            return new ResolvedInput(input, files) { Skipped = skipped };
        }

        if (skipped.Count == 0)
        {
            throw new CurationException($"{input.Path}: no input files match (supported: {InputFileType.SupportedList})");
        }

        if (earlierData is not null)
        {
            throw new CurationException(
                $"{input.Path}: no input files match: the {skipped.Count} files found are an earlier curate run's outputs and manifest, "
                + $"which a folder or glob never reads; to read that run's data, name the file: {DisplayPath.For(earlierData)}");
        }

        throw new CurationException(
            $"{input.Path}: no input files match: {skipped.Count} skipped, such as {DisplayPath.For(skipped[0].Path)}: {skipped[0].Reason}");
    }

    private static string Normalize(string relative) => relative.Replace('\\', '/');
}
