namespace Curation.DataGen.Sample;

internal enum Compression
{
    None,
    Gzip,
    Zstd,
}
