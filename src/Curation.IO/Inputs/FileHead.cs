namespace Curation.IO.Inputs;

/// <summary>The first bytes of a file, for recognising what it is without reading it all.</summary>
internal static class FileHead
{
    /// <summary>
    /// Whether the file (links followed) exists with a size above 0. A named pipe has size 0: opening one blocks
    /// until a writer comes, and reading it takes bytes that are the run's.
    /// </summary>
    public static bool HasBytes(string path)
    {
        var info = new FileInfo(path);
        return (info.LinkTarget is null ? info : info.ResolveLinkTarget(returnFinalTarget: true)) is FileInfo { Exists: true, Length: > 0 };
    }

    /// <summary>Up to <paramref name="count"/> bytes; empty for a file without bytes (see <see cref="HasBytes"/>) or one that cannot be read (the reader reports that later).</summary>
    public static byte[] Read(string path, int count)
    {
        try
        {
            if (!HasBytes(path))
            {
                return [];
            }

            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
            var buffer = new byte[count];
            var read = file.ReadAtLeast(buffer, count, throwOnEndOfStream: false);
            return read == count ? buffer : buffer[..read];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }
}
