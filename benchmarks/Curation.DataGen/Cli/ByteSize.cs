using System.Globalization;

namespace Curation.DataGen.Cli;

/// <summary>Parses sizes like <c>1GB</c>, <c>500MB</c>, <c>64KiB</c> or a plain byte count (decimal and binary units).</summary>
internal static class ByteSize
{
    private static readonly (string Suffix, long Factor)[] Units =
    [
        ("KIB", 1L << 10), ("MIB", 1L << 20), ("GIB", 1L << 30), ("TIB", 1L << 40),
        ("KB", 1_000L), ("MB", 1_000_000L), ("GB", 1_000_000_000L), ("TB", 1_000_000_000_000L),
        ("K", 1_000L), ("M", 1_000_000L), ("G", 1_000_000_000L), ("B", 1L),
    ];

    public static long Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim().ToUpperInvariant();
        foreach (var (suffix, factor) in Units)
        {
            if (trimmed.EndsWith(suffix, StringComparison.Ordinal))
            {
                return Scale(trimmed[..^suffix.Length], factor, text);
            }
        }

        return Scale(trimmed, 1, text);
    }

    private static long Scale(string number, long factor, string original)
    {
        if (!decimal.TryParse(number.Trim(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) || value <= 0)
        {
            throw new UsageException($"invalid size '{original}' (examples: 1GB, 250MB, 64MiB, 1048576)");
        }

        return (long)Math.Ceiling(value * factor);
    }
}
