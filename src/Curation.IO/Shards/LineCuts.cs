namespace Curation.IO.Shards;

/// <summary>
/// A place where a file is cut: a line start (JSON Lines), a row start (CSV/TSV) or a row group start (Parquet), with
/// how many lines (as the file's reader counts them) and rows (records it numbers) lie before it.
/// </summary>
internal readonly record struct LineCut(long Offset, long LinesBefore, long RowsBefore = 0);

/// <summary>A file scanned for cutting: its size, SHA-256 and the places chosen (or, for Parquet, every place there is).</summary>
internal sealed record LineCutScan(long Bytes, string Sha256, IReadOnlyList<LineCut> Cuts);

/// <summary>
/// Finds where an uncompressed JSON Lines file can be cut into byte ranges: each wanted offset moves forward to the
/// next line start, and the lines before it are counted, so that a range reader numbers lines as a whole-file
/// reader does. One sequential pass, which also takes the file's SHA-256 (ranges are read without hashing).
/// </summary>
internal static class LineCuts
{
    /// <summary>Null when the file's bytes are compressed whatever its name says (it is then read whole).</summary>
    /// <param name="wanted">Offsets, ascending, strictly inside the file.</param>
    public static LineCutScan? Scan(string path, IReadOnlyList<long> wanted)
    {
        ArgumentNullException.ThrowIfNull(wanted);
        var cuts = new List<LineCut>();
        var next = 0;
        long lines = 0;
        var read = SequentialScan.Read(path, refuseCompressed: true, (chunk, offset) =>
        {
            var at = 0;
            while (at < chunk.Length)
            {
                var newline = chunk[at..].IndexOf((byte)'\n');
                if (newline < 0)
                {
                    break;
                }

                at += newline + 1;
                lines++;
                var lineStart = offset + at;

                // The cut wanted at w lands on the first line start at or after w.
                while (next < wanted.Count && wanted[next] <= lineStart)
                {
                    if (cuts.Count == 0 || cuts[^1].Offset < lineStart)
                    {
                        cuts.Add(new LineCut(lineStart, lines));
                    }

                    next++;
                }
            }
        });
        return read is { } file ? new LineCutScan(file.Bytes, file.Sha256, [.. cuts.Where(cut => cut.Offset < file.Bytes)]) : null;
    }
}
