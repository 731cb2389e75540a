using Curation.Core.Records;

namespace Curation.Core.Stages;

/// <summary>Size and SHA-256 of one input file, taken while it was read.</summary>
public sealed record InputFileInfo(string Path, long Bytes, string Sha256, long Items);

/// <summary>Streams raw items from the pipeline's inputs, in a fixed order, in batches the source chooses.</summary>
public interface IRecordSource
{
    IAsyncEnumerable<RawItem[]> ReadAsync(CancellationToken cancellationToken);

    /// <summary>The files read so far, in read order, with their sizes and hashes.</summary>
    IReadOnlyList<InputFileInfo> Files { get; }

    /// <summary>Input bytes consumed so far, for progress.</summary>
    long BytesRead { get; }

    /// <summary>Total input bytes, for progress.</summary>
    long TotalBytes { get; }

    /// <summary>
    /// Called once for each batch from <see cref="ReadAsync"/> after it was decoded, when no item of it is read
    /// again: the source may reuse the batch's memory. Batches not released are left to the garbage collector.
    /// </summary>
    void Release(RawItem[] batch)
    {
    }
}
