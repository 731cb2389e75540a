using Curation.Core.Records;

namespace Curation.Core.Stages;

/// <summary>Size and SHA-256 of one finished output file.</summary>
public sealed record OutputFileInfo(string Path, string Role, long Bytes, string Sha256, long Records, bool Complete);

/// <summary>
/// Writes one output file. <see cref="Encode"/> may run on several threads at once (it must not touch the
/// file); <see cref="WriteAsync"/> is called on one thread, in input order, with what Encode returned.
/// Output goes to a temporary file that <see cref="CompleteAsync"/> renames into place.
/// </summary>
public interface IRecordWriter<T> : IAsyncDisposable
{
    EncodedChunk Encode(IReadOnlyList<T> items);

    ValueTask WriteAsync(EncodedChunk chunk, CancellationToken cancellationToken);

    /// <summary>Flushes and moves the file into place; when <paramref name="complete"/> is false the file is kept under a name that says it is incomplete.</summary>
    ValueTask<OutputFileInfo> CompleteAsync(bool complete, CancellationToken cancellationToken);
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
