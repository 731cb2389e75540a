namespace Curation.IO.Compression;

/// <summary>Recognises compressed data by its leading magic bytes, whatever the file is called.</summary>
internal static class CompressionSignature
{
    /// <summary>Bytes needed to tell every supported compression apart.</summary>
    public const int Length = 4;

    public static CompressionKind Detect(ReadOnlySpan<byte> head)
    {
        if (head.Length >= 2 && head[0] == 0x1f && head[1] == 0x8b)
        {
            return CompressionKind.Gzip;
        }

        if (head.Length >= 4 && head[0] == 0x28 && head[1] == 0xb5 && head[2] == 0x2f && head[3] == 0xfd)
        {
            return CompressionKind.Zstd;
        }

        return CompressionKind.None;
    }

    public static string Describe(CompressionKind kind) => kind switch
    {
        CompressionKind.Gzip => "gzip",
        CompressionKind.Zstd => "zstd",
        _ => "uncompressed",
    };
}
