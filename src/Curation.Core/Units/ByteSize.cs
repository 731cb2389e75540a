using System.Globalization;

namespace Curation.Core.Units;

/// <summary>Sizes written like <c>1GB</c>, <c>500MB</c>, <c>64KiB</c> or a plain byte count (decimal and binary units).</summary>
public static class ByteSize
{
    public const string Examples = "1GB, 250MB, 64MiB, 1048576";

    private static readonly (string Suffix, long Factor)[] Units =
    [
        ("KIB", 1L << 10), ("MIB", 1L << 20), ("GIB", 1L << 30), ("TIB", 1L << 40),
        ("KB", 1_000L), ("MB", 1_000_000L), ("GB", 1_000_000_000L), ("TB", 1_000_000_000_000L),
        ("K", 1_000L), ("M", 1_000_000L), ("G", 1_000_000_000L), ("B", 1L),
    ];

    /// <summary>A positive size in bytes, or false when <paramref name="text"/> is not one.</summary>
    public static bool TryParse(string? text, out long bytes)
    {
        bytes = 0;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var trimmed = text.Trim().ToUpperInvariant();
        var factor = 1L;
        foreach (var (suffix, unit) in Units)
        {
            if (trimmed.EndsWith(suffix, StringComparison.Ordinal))
            {
                trimmed = trimmed[..^suffix.Length];
                factor = unit;
                break;
            }
        }

        if (!decimal.TryParse(trimmed.Trim(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)
            || value <= 0
            || value * factor > long.MaxValue)
        {
            return false;
        }

        bytes = (long)Math.Ceiling(value * factor);
        return true;
    }
}
