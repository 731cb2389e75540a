namespace Curation.IO.Compression;

/// <summary>How an input file's bytes are compressed.</summary>
public enum CompressionKind
{
    None,
    Gzip,
    Zstd,
}
