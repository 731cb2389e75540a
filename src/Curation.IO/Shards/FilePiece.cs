using Curation.Core.Config;

namespace Curation.IO.Shards;

/// <summary>
/// One input file, or a byte range of one, that a shard task reads. A range starts where the file's reader starts a
/// record (a line start in JSON Lines, a row start after the header in CSV/TSV, a row group start in Parquet) and ends
/// at the next range's start; <paramref name="LinesBefore"/> and <paramref name="RowsBefore"/> are how many lines and
/// rows of the file lie before it, so that source positions are those of a single-process run.
/// </summary>
/// <param name="Start">First byte of the range; 0 for a whole file.</param>
/// <param name="End">One past the last byte; null for a whole file.</param>
/// <param name="LinesBefore">Lines before the range (JSON Lines and CSV/TSV).</param>
/// <param name="RowsBefore">Data rows before the range (CSV/TSV and Parquet).</param>
internal sealed record FilePiece(string Path, InputOptions Options, long Start, long? End, long LinesBefore, long RowsBefore = 0)
{
    public bool IsWholeFile => End is null;

    public static FilePiece Whole(string path, InputOptions options) => new(path, options, 0, null, 0);
}
