using System.Text;

namespace Curation.IO.Shards;

/// <summary>
/// Finds where an uncompressed CSV/TSV file can be cut into byte ranges: each wanted offset moves forward to the
/// next row start after a line feed and after the header row, with the lines and data rows before it counted as
/// <see cref="Readers.CsvRowReader"/> counts them. Quote state is followed from the top of the file, so this is one
/// sequential pass over all of it (which also takes its SHA-256).
/// </summary>
internal static class CsvRowCuts
{
    private static readonly byte[] Utf8Bom = [0xEF, 0xBB, 0xBF];

    /// <summary>
    /// Null when the file is read whole: its bytes are compressed, it starts with a UTF-16 or UTF-32 byte order mark
    /// (the reader then decodes it as such), or the delimiter is not ASCII.
    /// </summary>
    /// <param name="wanted">Offsets, ascending, strictly inside the file.</param>
    public static LineCutScan? Scan(string path, string delimiter, IReadOnlyList<long> wanted)
    {
        ArgumentNullException.ThrowIfNull(delimiter);
        ArgumentNullException.ThrowIfNull(wanted);
        if (!Ascii.IsValid(delimiter))
        {
            return null;
        }

        var scanner = new CsvRowScanner(Encoding.ASCII.GetBytes(delimiter));
        var cuts = new List<LineCut>();
        var next = 0;
        var unreadable = false;
        void RowStart(long start)
        {
            // The header is the first row; a range after it is told the header by the file's first row.
            if (scanner.Rows == 0)
            {
                return;
            }

            while (next < wanted.Count && wanted[next] <= start)
            {
                if (cuts.Count == 0 || cuts[^1].Offset < start)
                {
                    cuts.Add(new LineCut(start, scanner.Lines, scanner.Rows - 1));
                }

                next++;
            }
        }

        var read = SequentialScan.Read(path, refuseCompressed: true, (chunk, offset) =>
        {
            if (unreadable)
            {
                return;
            }

            if (offset == 0)
            {
                if (IsWideTextBom(chunk))
                {
                    unreadable = true;
                    return;
                }

                // The reader drops a UTF-8 byte order mark at the start of the file, and only there.
                if (chunk.StartsWith(Utf8Bom))
                {
                    chunk = chunk[Utf8Bom.Length..];
                    offset = Utf8Bom.Length;
                }
            }

            scanner.Feed(chunk, offset, RowStart);
        });
        return read is { } file && !unreadable ? new LineCutScan(file.Bytes, file.Sha256, [.. cuts.Where(cut => cut.Offset < file.Bytes)]) : null;
    }

    // The byte order marks, besides UTF-8's, that make the reader's StreamReader switch encoding.
    private static bool IsWideTextBom(ReadOnlySpan<byte> head) =>
        head.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]) || head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || head.StartsWith((ReadOnlySpan<byte>)[0x00, 0x00, 0xFE, 0xFF]);
}
