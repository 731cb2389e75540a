namespace Curation.IO.Readers;

/// <summary>The four whitespace bytes JSON allows between tokens.</summary>
internal static class JsonWhitespace
{
    public static bool IsBlank(ReadOnlySpan<byte> text) => text.IsEmpty || IndexOfContent(text) < 0;

    /// <summary>Index of the first byte that is not JSON whitespace, or -1.</summary>
    public static int IndexOfContent(ReadOnlySpan<byte> text) => text.IndexOfAnyExcept(" \t\r\n"u8);
}
