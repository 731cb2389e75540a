using Curation.Core.Config;

namespace Curation.IO.Shards;

/// <summary>
/// One input file, or a byte range of one, that a shard task reads. A range starts at a line start and ends at the
/// next range's start; <paramref name="LinesBefore"/> is how many lines of the file lie before it, so that source
/// positions are those of a single-process run.
/// </summary>
/// <param name="Start">First byte of the range; 0 for a whole file.</param>
/// <param name="End">One past the last byte; null for a whole file.</param>
internal sealed record FilePiece(string Path, InputOptions Options, long Start, long? End, long LinesBefore)
{
    public bool IsWholeFile => End is null;

    public static FilePiece Whole(string path, InputOptions options) => new(path, options, 0, null, 0);
}
