using System.Text;

namespace Curation.Core.Files;

/// <summary>
/// Writes a whole file at once so that its final name holds either the old bytes or the new ones, never a part:
/// through a <see cref="StagedFile"/>, flushed to disk, then renamed. Every small file curate writes (manifest,
/// configs, adapters, checkpoints, review exports) goes through here; large run outputs use <see cref="StagedFile"/>
/// directly and commit together at the end of a run.
/// </summary>
public static class AtomicFile
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    /// <exception cref="CurationException">No space, no permission or a read-only file system: one line naming the file.</exception>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        using var staged = StagedFile.Create(path);
        FileFaults.Guard(staged.FinalPath, () => write(staged.Stream));
        staged.Commit();
    }

    /// <exception cref="CurationException">No space, no permission or a read-only file system: one line naming the file.</exception>
    public static async Task WriteAsync(string path, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(write);
        using var staged = StagedFile.Create(path);
        try
        {
            await write(staged.Stream, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (FileFaults.Describe(ex, staged.FinalPath) is { } message)
        {
            throw new CurationException(message, ex);
        }

        staged.Commit();
    }

    public static void WriteAllText(string path, string contents) =>
        Write(path, stream =>
        {
            var bytes = Utf8NoBom.GetBytes(contents);
            stream.Write(bytes);
        });

    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        var copy = bytes.ToArray();
        Write(path, stream => stream.Write(copy));
    }
}
