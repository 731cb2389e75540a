using Curation.IO.Compression;

namespace Curation.IO.Inputs;

/// <summary>What an input file's name says it holds: a container format and an optional compression suffix.</summary>
public readonly record struct InputFileType(InputFileKind Kind, CompressionKind Compression)
{
    /// <summary>The list printed when nothing supported is found.</summary>
    public const string SupportedList = ".jsonl .ndjson .json .csv .tsv, each optionally compressed as .gz .zst .zstd, and .parquet";

    /// <summary>Reads the type from a file name (case-insensitive); false for anything unsupported.</summary>
    public static bool TryFromPath(string path, out InputFileType type)
    {
        ArgumentNullException.ThrowIfNull(path);
        var name = Path.GetFileName(path.AsSpan());
        var compression = CompressionKind.None;
        if (TryStrip(ref name, ".gz"))
        {
            compression = CompressionKind.Gzip;
        }
        else if (TryStrip(ref name, ".zst") || TryStrip(ref name, ".zstd"))
        {
            compression = CompressionKind.Zstd;
        }

        InputFileKind? kind = null;
        if (EndsWith(name, ".jsonl") || EndsWith(name, ".ndjson"))
        {
            kind = InputFileKind.JsonLines;
        }
        else if (EndsWith(name, ".json"))
        {
            kind = InputFileKind.Json;
        }
        else if (EndsWith(name, ".csv"))
        {
            kind = InputFileKind.Csv;
        }
        else if (EndsWith(name, ".tsv"))
        {
            kind = InputFileKind.Tsv;
        }
        else if (EndsWith(name, ".parquet") && compression == CompressionKind.None)
        {
            kind = InputFileKind.Parquet;
        }

        type = kind is null ? default : new InputFileType(kind.Value, compression);
        return kind is not null;
    }

    private static bool TryStrip(ref ReadOnlySpan<char> name, string suffix)
    {
        if (!EndsWith(name, suffix))
        {
            return false;
        }

        name = name[..^suffix.Length];
        return true;
    }

    // A bare ".json" (hidden file, no stem) is not an input.
    private static bool EndsWith(ReadOnlySpan<char> name, string suffix) =>
        name.Length > suffix.Length && name.EndsWith(suffix, StringComparison.OrdinalIgnoreCase);
}
