namespace Curation.IO.Inputs;

/// <summary>The first bytes of a file, for recognising what it is without reading it all.</summary>
internal static class FileHead
{
    /// <summary>
    /// Up to <paramref name="count"/> bytes; empty when the file cannot be read (the reader reports that later) and
    /// for anything of size 0, such as a named pipe, which must not be opened: its bytes would be taken from the run.
    /// </summary>
    public static byte[] Read(string path, int count)
    {
        try
        {
            var info = new FileInfo(path);
            if ((info.LinkTarget is null ? info : info.ResolveLinkTarget(returnFinalTarget: true)) is not FileInfo { Exists: true, Length: > 0 })
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
