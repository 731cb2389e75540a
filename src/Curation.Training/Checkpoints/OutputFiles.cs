using Curation.Core.Files;

namespace Curation.Training.Checkpoints;

/// <summary>
/// How the trainer and <c>model init</c> write their files: each through <see cref="AtomicFile"/> (its name holds the
/// old bytes or the new ones, never a part), and whole folders through <see cref="StagedFolder"/>. A full disk, a
/// missing permission or a read-only folder is one line naming the file.
/// </summary>
internal static class OutputFiles
{
    private static readonly AsyncLocal<Func<string, Exception?>?> InjectedFault = new();

    public static void Write(string path, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        AtomicFile.Write(path, stream =>
        {
            ThrowIfInjected(path);
            write(stream);
        });
    }

    public static void WriteText(string path, string contents) => Write(path, stream =>
    {
        using var writer = new StreamWriter(stream, leaveOpen: true);
        writer.Write(contents);
    });

    /// <summary>Copies <paramref name="source"/> to <paramref name="path"/>, replacing it whole.</summary>
    public static void Copy(string source, string path) => Write(path, stream =>
    {
        using var input = File.OpenRead(source);
        input.CopyTo(stream);
    });

    /// <summary>
    /// Fills a staged folder through <paramref name="write"/> (given the temporary folder) and commits it. A file fault
    /// names the file where it would have been, not its temporary name; on any failure the temporary folder is removed.
    /// </summary>
    public static void WriteFolder(string folder, Action<string> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        using var staged = StagedFolder.Create(folder);
        try
        {
            write(staged.TemporaryPath);
        }
        catch (CurationFileException ex) when (ex.InnerException is { } inner && IsInside(ex.Path, staged.TemporaryPath))
        {
            var final = staged.FinalPathOf(Path.GetRelativePath(staged.TemporaryPath, ex.Path));
            throw new CurationFileException(FileFaults.Describe(inner, final) ?? ex.Message, final, ex.Fault, inner);
        }

        staged.Commit();
    }

    /// <summary>Throws what a test injected for <paramref name="path"/>, if anything (writes that are not atomic call it too).</summary>
    public static void ThrowIfInjected(string path)
    {
        if (InjectedFault.Value?.Invoke(Path.GetFullPath(path)) is { } fault)
        {
            throw fault;
        }
    }

    /// <summary>
    /// For tests: writes for which <paramref name="fault"/> returns an exception throw it (as a full disk would) until
    /// the result is disposed. It holds for the calling flow only, so tests running at the same time are not touched.
    /// </summary>
    internal static IDisposable InjectFault(Func<string, Exception?> fault)
    {
        var previous = InjectedFault.Value;
        InjectedFault.Value = fault;
        return new Restore(() => InjectedFault.Value = previous);
    }

    private static bool IsInside(string path, string folder) =>
        Path.GetFullPath(path).StartsWith(folder + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    private sealed class Restore(Action restore) : IDisposable
    {
        public void Dispose() => restore();
    }
}
