namespace Curation.IO.Formats;

internal static class Utf8Bom
{
    /// <summary>The item without a leading UTF-8 byte order mark, which JSON readers do not accept.</summary>
    public static ReadOnlySpan<byte> Skip(ReadOnlySpan<byte> utf8) =>
        utf8.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? utf8[3..] : utf8;
}
