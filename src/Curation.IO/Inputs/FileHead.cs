namespace Curation.IO.Inputs;

/// <summary>The first bytes of a file, for recognising what it is without reading it all.</summary>
internal static class FileHead
{
    /// <summary>Up to <paramref name="count"/> bytes; empty when the file cannot be read (the reader reports that later).</summary>
    public static byte[] Read(string path, int count)
    {
        try
        {
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
