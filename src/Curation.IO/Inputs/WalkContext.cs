using Curation.Core.Files;
namespace Curation.IO.Inputs;

/// <summary>What one input entry's resolution shares: the real-path cache and the files it chose not to read.</summary>
internal sealed class WalkContext(RealPathResolver realPaths)
{
    private readonly Dictionary<string, string> _skipped = new(RealPath.Comparer);

    public RealPathResolver RealPathResolver { get; } = realPaths;

    /// <summary>Notes a path left out and why; the first reason given for a path is kept.</summary>
    public void Skip(string path, string reason) => _skipped.TryAdd(path, reason);

    /// <summary>Everything skipped, sorted by path so that the report does not depend on the file system's order.</summary>
    public IReadOnlyList<SkippedFile> Skipped() =>
        [.. _skipped.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => new SkippedFile(pair.Key, pair.Value))];
}
