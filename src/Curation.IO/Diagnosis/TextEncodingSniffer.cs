namespace Curation.IO.Diagnosis;

/// <summary>Recognises text that is not UTF-8: UTF-16 and UTF-32 with or without a byte order mark, and legacy 8-bit text.</summary>
internal static class TextEncodingSniffer
{
    /// <summary>Fewer bytes than this say too little about where the zeros fall.</summary>
    private const int MinBytesWithoutBom = 16;

    public static string? Explain(ReadOnlySpan<byte> head)
    {
        if (Detect(head) is { } encoding)
        {
            return $"the file is {encoding.Name} encoded; curate reads UTF-8: convert it, e.g. iconv -f {encoding.Iconv} -t UTF-8";
        }

        return LooksLikeLegacy8Bit(head)
            ? "the file is not UTF-8 (perhaps Latin-1 or Windows-1252); curate reads UTF-8: convert it, e.g. iconv -f WINDOWS-1252 -t UTF-8"
            : null;
    }

    /// <summary>A UTF-16 or UTF-32 encoding, by its byte order mark or by where the zero bytes of ASCII text fall.</summary>
    internal static (string Name, string Iconv)? Detect(ReadOnlySpan<byte> head)
    {
        // UTF-32 LE's mark starts with UTF-16 LE's, so the longer marks come first.
        if (head.StartsWith((ReadOnlySpan<byte>)[0x00, 0x00, 0xFE, 0xFF]))
        {
            return ("UTF-32 (BE)", "UTF-32");
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE, 0x00, 0x00]))
        {
            return ("UTF-32 (LE)", "UTF-32");
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            return ("UTF-16 (BE)", "UTF-16");
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]))
        {
            return ("UTF-16 (LE)", "UTF-16");
        }

        if (head.Length < MinBytesWithoutBom)
        {
            return null;
        }

        // JSON and CSV are mostly ASCII: each character leaves zero bytes in fixed places of its 2 or 4 bytes.
        Span<int> zeros = stackalloc int[4];
        var length = head.Length & ~3;
        for (var i = 0; i < length; i++)
        {
            if (head[i] == 0)
            {
                zeros[i & 3]++;
            }
        }

        var quads = length / 4;
        var pairs = length / 2;
        if (zeros[1] + zeros[2] + zeros[3] >= 2.7 * quads && zeros[0] <= 0.1 * quads)
        {
            return ("UTF-32 (LE)", "UTF-32LE");
        }

        if (zeros[0] + zeros[1] + zeros[2] >= 2.7 * quads && zeros[3] <= 0.1 * quads)
        {
            return ("UTF-32 (BE)", "UTF-32BE");
        }

        if (zeros[1] + zeros[3] >= 0.5 * pairs && zeros[0] + zeros[2] <= 0.1 * pairs)
        {
            return ("UTF-16 (LE)", "UTF-16LE");
        }

        if (zeros[0] + zeros[2] >= 0.5 * pairs && zeros[1] + zeros[3] <= 0.1 * pairs)
        {
            return ("UTF-16 (BE)", "UTF-16BE");
        }

        return null;
    }

    /// <summary>
    /// Bytes without zeros of which most lines are not UTF-8: text in a legacy 8-bit code page. A few bad lines in a
    /// UTF-8 file are the records' own problem, rejected one by one.
    /// </summary>
    private static bool LooksLikeLegacy8Bit(ReadOnlySpan<byte> head)
    {
        if (head.Contains((byte)0))
        {
            return false;
        }

        // A head without a newline may end inside a character; up to three bytes of a cut sequence are no error.
        if (!head.Contains((byte)'\n'))
        {
            return !IsValidCut(head);
        }

        // The last line of a head may be cut short, so only lines that end count.
        var lines = 0;
        var invalid = 0;
        for (var rest = head; rest.IndexOf((byte)'\n') is var end and >= 0; rest = rest[(end + 1)..])
        {
            lines++;
            invalid += System.Text.Unicode.Utf8.IsValid(rest[..end]) ? 0 : 1;
        }

        return invalid * 2 >= lines;
    }

    private static bool IsValidCut(ReadOnlySpan<byte> head)
    {
        for (var cut = 0; cut <= 3 && cut < head.Length; cut++)
        {
            if (System.Text.Unicode.Utf8.IsValid(head[..^cut]))
            {
                return true;
            }
        }

        return false;
    }
}
