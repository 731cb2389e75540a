namespace Curation.IO.Formats;

/// <summary>The rules the read stage rejects an input item under.</summary>
public static class ReadRules
{
    /// <summary>The item's bytes are not valid UTF-8.</summary>
    public const string InvalidUtf8 = "invalid-utf8";

    /// <summary>The item is not valid JSON (often a truncated line).</summary>
    public const string MalformedJson = "malformed-json";

    /// <summary>The reader could not turn a table row into a record (for example a CSV row with too many cells).</summary>
    public const string MalformedRow = "malformed-row";

    /// <summary>The record has the wrong JSON types or misses a required field.</summary>
    public const string Schema = "schema";

    /// <summary>Format detection found no known record shape.</summary>
    public const string UnknownFormat = "unknown-format";

    /// <summary>
    /// The key a reader puts alone in an item to report a row it could not read; its string value becomes the
    /// reject detail.
    /// </summary>
    public const string ReaderErrorKey = "$error";

    public static IReadOnlyList<string> All { get; } = [InvalidUtf8, MalformedJson, MalformedRow, Schema, UnknownFormat];
}
