
namespace Curation.Core.Stages;

/// <summary>Size and SHA-256 of one finished output file.</summary>
public sealed record OutputFileInfo(string Path, string Role, long Bytes, string Sha256, long Records, bool Complete);

/// <summary>
/// Writes one output file. <see cref="Encode"/> may run on several threads at once (it must not touch the
/// file); <see cref="WriteAsync"/> is called on one thread, in input order, with what Encode returned.
/// Output goes to a temporary file of the run's <see cref="Files.RunOutputs"/>; <see cref="SealAsync"/> finishes it,
/// and the run renames it into place only when the whole run has succeeded.
/// </summary>
public interface IRecordWriter<T> : IAsyncDisposable
{
    EncodedChunk Encode(IReadOnlyList<T> items);

    ValueTask WriteAsync(EncodedChunk chunk, CancellationToken cancellationToken);

    /// <summary>Finishes the file and flushes it to disk; returns what it will be once the run commits its outputs.</summary>
    ValueTask<OutputFileInfo> SealAsync(CancellationToken cancellationToken);
}

/// <summary>What a writer's encode step produced for one batch: bytes ready to append, or items for writers that encode in blocks.</summary>
public sealed class EncodedChunk
{
    public EncodedChunk(ReadOnlyMemory<byte> bytes, int count)
    {
        Bytes = bytes;
        Count = count;
    }

    public EncodedChunk(object items, int count)
    {
        Items = items;
        Count = count;
    }

    public ReadOnlyMemory<byte> Bytes { get; }

    public object? Items { get; }

    public int Count { get; }
}
