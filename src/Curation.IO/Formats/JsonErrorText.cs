using System.Globalization;
using System.Text.Json;

namespace Curation.IO.Formats;

/// <summary>Turns a reader's exception into a one-line detail with the absolute byte offset of the problem.</summary>
internal static class JsonErrorText
{
    private const string PositionSuffix = " LineNumber:";

    /// <param name="skipped">Bytes before <paramref name="json"/> in the item (a byte order mark), added to the offset.</param>
    public static string Describe(JsonException exception, ReadOnlySpan<byte> json, int skipped)
    {
        var message = exception.Message;
        var suffix = message.IndexOf(PositionSuffix, StringComparison.Ordinal);
        if (suffix >= 0)
        {
            message = message[..suffix];
        }

        // The reader quotes the bad bytes, which may include line breaks; a detail stays on one line.
        message = message.Replace("\r", "\\r", StringComparison.Ordinal)
            .Replace("\n", "\\n", StringComparison.Ordinal)
            .Replace("\t", "\\t", StringComparison.Ordinal);

        if (json.Trim(" \t\r\n"u8).IsEmpty)
        {
            return "the item holds no JSON value (an empty line?)";
        }

        var offset = Offset(json, exception.LineNumber ?? 0, exception.BytePositionInLine ?? 0);
        var hint = offset >= json.TrimEnd(" \t\r\n"u8).Length ? " (truncated line?)" : string.Empty;
        return $"invalid JSON at byte {(offset + skipped).ToString(CultureInfo.InvariantCulture)}: {message.TrimEnd()}{hint}";
    }

    private static long Offset(ReadOnlySpan<byte> json, long line, long column)
    {
        long start = 0;
        for (var i = 0L; i < line; i++)
        {
            var next = json[(int)start..].IndexOf((byte)'\n');
            if (next < 0)
            {
                break;
            }

            start += next + 1;
        }

        return start + column;
    }
}
