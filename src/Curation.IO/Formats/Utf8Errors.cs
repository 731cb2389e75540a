using System.Buffers;
using System.Globalization;
using System.Text.Unicode;

namespace Curation.IO.Formats;

internal static class Utf8Errors
{
    /// <summary>"invalid UTF-8 at byte N (0xXX)" for bytes that <see cref="Utf8.IsValid(ReadOnlySpan{byte})"/> refused.</summary>
    public static string Describe(ReadOnlySpan<byte> bytes)
    {
        var offset = FirstInvalidOffset(bytes);
        return offset < bytes.Length
            ? $"invalid UTF-8 at byte {offset.ToString(CultureInfo.InvariantCulture)} (0x{bytes[offset]:X2})"
            : $"invalid UTF-8: the item ends inside a multi-byte character at byte {offset.ToString(CultureInfo.InvariantCulture)}";
    }

    private static int FirstInvalidOffset(ReadOnlySpan<byte> bytes)
    {
        Span<char> scratch = stackalloc char[1024];
        var offset = 0;
        while (offset < bytes.Length)
        {
            var status = Utf8.ToUtf16(bytes[offset..], scratch, out var read, out _, replaceInvalidSequences: false, isFinalBlock: true);
            offset += read;
            if (status != OperationStatus.DestinationTooSmall)
            {
                return offset;
            }
        }

        return offset;
    }
}
